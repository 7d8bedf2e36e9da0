/**
 * Seed 001: "Certaines fonctionnalités nécessitent un niveau d'abonnement de banque à
 * distance". A company's pricing offer says which services may be granted to its users;
 * the catalog is declared once here, for identity (which offers a company may have) and
 * authorizations (what a grant may give).
 */
import { ApiProperty } from '@nestjs/swagger';

export class PricingOfferView {
  @ApiProperty({ example: 'ESSENTIEL', description: "The code a company's pricingOffer names" }) code: string;
  @ApiProperty({ example: 'Essentiel' }) label: string;
  @ApiProperty({ type: [String], example: ['EINVOICING', 'REPORTS'], description: 'Services (GET /services) its users may be granted' })
  services: readonly string[];
}

const ALL_SERVICES = ['EINVOICING', 'BANKING', 'ACCOUNTING_PORTAL', 'EDI', 'REPORTS'] as const;

export const PRICING_OFFERS: readonly PricingOfferView[] = [
  { code: 'ESSENTIEL', label: 'Essentiel', services: ALL_SERVICES },
  { code: 'PREMIUM', label: 'Premium', services: ALL_SERVICES },
  // For clients who only exchange e-invoices (seed 000 knows users with e-invoicing rights only).
  { code: 'EFACTURES', label: 'E-factures seules', services: ['EINVOICING', 'REPORTS'] },
];

export const PRICING_OFFER_CODES: readonly string[] = PRICING_OFFERS.map((offer) => offer.code);

export function pricingOffer(code: string): PricingOfferView | undefined {
  return PRICING_OFFERS.find((offer) => offer.code === code);
}
