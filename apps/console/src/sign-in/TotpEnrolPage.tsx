import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { FirstLoginFrame } from './FirstLoginFrame';
import { TotpEnrolment } from './TotpEnrolment';

/** The company requires strong authentication: enrol it before anything else. */
export default function TotpEnrolPage() {
  const { t } = useTranslation();
  const { session, signedIn } = useSession();
  const navigate = useNavigate();
  if (session.status === 'signed-out') return <Navigate to="/sign-in" replace />;
  if (session.scope === 'password-change') return <Navigate to="/first-login/password" replace />;
  if (session.scope === 'full') return <Navigate to="/" replace />;
  return (
    <FirstLoginFrame step={1} title={t('totp.title')} intro={t('totp.intro')}>
      <TotpEnrolment
        onEnrolled={async (tokens) => {
          await signedIn(tokens, session.loginId ?? '');
          void navigate('/account?enrolled=1', { replace: true });
        }}
      />
    </FirstLoginFrame>
  );
}
