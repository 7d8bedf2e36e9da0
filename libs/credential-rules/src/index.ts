// Pure credential rules shared by the identity service (authoritative) and the web console
// (live feedback as the user types). No Node or Nest import: this folder is bundled for the browser.
export * from './login-id';
export * from './password-policy';
