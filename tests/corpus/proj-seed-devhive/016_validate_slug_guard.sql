-- Some environments had the constraint validated by hand already; guard the change.
ALTER TABLE organizations VALIDATE CONSTRAINT organizations_slug_format;

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_constraint WHERE conname = 'issue_comments_body_not_blank'
    ) THEN
        ALTER TABLE issue_comments ADD CONSTRAINT issue_comments_body_not_blank CHECK (btrim(body) <> '');
    END IF;
END
$$;
