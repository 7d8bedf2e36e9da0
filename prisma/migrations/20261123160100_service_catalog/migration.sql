-- Service catalog seed: the services, rights and levels the back office can grant.
-- Reference data owned by the authorizations service: changing it means a new migration.
-- Level ranks leave gaps (10, 20, 30) so a level can later be inserted between two others
-- without renumbering: e-invoicing rank 20 is kept free for dual validation.
-- No semicolon may appear in comments or strings here: Prisma's driver-adapter engine
-- splits scripts on it.

-- Services
INSERT INTO "authorizations"."catalog_services" ("code", "label_fr", "label_en", "position") VALUES
    ('EINVOICING', 'HBS e-factures', 'HBS e-invoicing', 1),
    ('BANKING', 'Banque à distance', 'Online banking', 2),
    ('ACCOUNTING_PORTAL', 'Portail comptable', 'Accounting portal', 3),
    ('EDI', 'Déclarations EDI', 'EDI declarations', 4),
    ('REPORTS', 'Rapports et livraisons', 'Reports and deliveries', 5);

-- Rights
INSERT INTO "authorizations"."catalog_rights" ("service_code", "code", "label_fr", "label_en", "family", "resource_scope", "position") VALUES
    ('EINVOICING', 'SUBSCRIPTION', 'Abonnement', 'Subscription', NULL, 'NONE', 1),
    ('EINVOICING', 'SUPPLIER_INVOICE_APPROVAL', 'Bon à payer sur facture fournisseur', 'Supplier invoice approval', NULL, 'NONE', 2),
    ('EINVOICING', 'COUNTERPARTIES', 'Fournisseurs et clients', 'Suppliers and customers', NULL, 'NONE', 3),
    ('EINVOICING', 'SUPPLIER_INVOICING', 'Facturation fournisseurs', 'Supplier invoicing', NULL, 'NONE', 4),
    ('EINVOICING', 'CUSTOMER_INVOICING', 'Facturation clients', 'Customer invoicing', NULL, 'NONE', 5),
    ('EINVOICING', 'INVOICE_ASSIGNMENT', 'Affectation des factures', 'Invoice assignment', NULL, 'NONE', 6),
    ('EINVOICING', 'SINGLE_ENTRY_POINT', 'Point d''entrée unique', 'Single entry point', NULL, 'NONE', 7),
    ('BANKING', 'CONSULT', 'Consultation', 'Consultation', NULL, 'ACCOUNTS_AND_CONTRACTS', 1),
    ('BANKING', 'MANAGE', 'Gestion', 'Manage', NULL, 'ACCOUNTS_AND_CONTRACTS', 2),
    ('BANKING', 'VALIDATE', 'Validation', 'Validate', NULL, 'ACCOUNTS_AND_CONTRACTS', 3),
    ('ACCOUNTING_PORTAL', 'PRODUCTION_COMPTA', 'Production Compta', 'Production Compta', 'PRODUCTION', 'NONE', 1),
    ('ACCOUNTING_PORTAL', 'PRODUCTION_FISCALITE', 'Production Fiscalité', 'Production Fiscalité', 'PRODUCTION', 'NONE', 2),
    ('ACCOUNTING_PORTAL', 'PRODUCTION_PAIE', 'Production Paie', 'Production Paie', 'PRODUCTION', 'NONE', 3),
    ('ACCOUNTING_PORTAL', 'PRODUCTION_COMPTA_CONSULTATION', 'Production Compta (Consultation)', 'Production Compta (Consultation)', 'CONSULTATION', 'NONE', 4),
    ('ACCOUNTING_PORTAL', 'PRODUCTION_FISCALITE_CONSULTATION', 'Production Fiscalité (Consultation)', 'Production Fiscalité (Consultation)', 'CONSULTATION', 'NONE', 5),
    ('ACCOUNTING_PORTAL', 'PRODUCTION_PAIE_CONSULTATION', 'Production Paie (Consultation)', 'Production Paie (Consultation)', 'CONSULTATION', 'NONE', 6),
    ('EDI', 'SEND_DECLARATIONS', 'Envoi des déclarations', 'Send declarations', NULL, 'NONE', 1),
    ('REPORTS', 'ORDER_REPORTS', 'Commande de rapports', 'Order reports', NULL, 'NONE', 1);

-- Levels
INSERT INTO "authorizations"."catalog_levels" ("service_code", "code", "label_fr", "label_en", "rank") VALUES
    ('EINVOICING', 'CONSULT', 'Consultation', 'Consult', 10),
    ('EINVOICING', 'CONSULT_ENTER_VALIDATE', 'Consultation, saisie et validation seul', 'Consult, enter and validate alone', 30),
    ('BANKING', 'ACCESS', 'Accès', 'Access', 10),
    ('ACCOUNTING_PORTAL', 'ACCESS', 'Accès', 'Access', 10),
    ('EDI', 'ACCESS', 'Accès', 'Access', 10),
    ('REPORTS', 'ACCESS', 'Accès', 'Access', 10);
