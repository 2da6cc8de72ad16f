-- Tenancy: the application role (never the tables' owner; the owner, used only for migrations and
-- bulk loads, is not subject to the policies), row-level security on every tenant table, and the few
-- cross-organization look-ups (sign-in, public pages, background work) as narrow
-- SECURITY DEFINER functions. Later migrations that add a tenant table call
-- throughline_secure_table('<name>') so the table gets the same policy.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'throughline_app') THEN
    CREATE ROLE throughline_app NOLOGIN;
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO throughline_app;
--> statement-breakpoint
CREATE FUNCTION throughline_current_org() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION throughline_current_org() TO throughline_app;
--> statement-breakpoint
CREATE FUNCTION throughline_secure_table(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (org_id = throughline_current_org()) WITH CHECK (org_id = throughline_current_org())',
    tbl);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO throughline_app', tbl);
END
$$;
--> statement-breakpoint
DO $$
DECLARE t record;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'org_id' AND tb.table_type = 'BASE TABLE'
  LOOP
    PERFORM throughline_secure_table(format('public.%I', t.table_name)::regclass);
  END LOOP;
END
$$;
--> statement-breakpoint
-- The timeline is append-only: the application may add and read touchpoints, never change or remove them.
REVOKE UPDATE, DELETE ON touchpoints FROM throughline_app;
--> statement-breakpoint
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY own_organization ON organizations USING (id = throughline_current_org());
--> statement-breakpoint
GRANT SELECT, UPDATE ON organizations TO throughline_app;
--> statement-breakpoint
CREATE FUNCTION auth_user_by_email(p_email text)
  RETURNS TABLE (org_id uuid, user_id uuid, password_hash text, role text, disabled boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT u.org_id, u.id, u.password_hash, u.role, u.disabled_at IS NOT NULL
    FROM users u WHERE lower(u.email) = lower(p_email)
  $$;
--> statement-breakpoint
CREATE FUNCTION auth_session(p_token_hash text)
  RETURNS TABLE (org_id uuid, user_id uuid, role text, csrf_token text, email text, name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT s.org_id, u.id, u.role, s.csrf_token, u.email, u.name
    FROM user_sessions s JOIN users u ON u.org_id = s.org_id AND u.id = s.user_id
    WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND u.disabled_at IS NULL
  $$;
--> statement-breakpoint
CREATE FUNCTION auth_api_key(p_key_hash text)
  RETURNS TABLE (org_id uuid, user_id uuid, role text, key_id uuid, email text, name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT k.org_id, u.id, u.role, k.id, u.email, u.name
    FROM api_keys k JOIN users u ON u.org_id = k.org_id AND u.id = k.user_id
    WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL AND u.disabled_at IS NULL
  $$;
--> statement-breakpoint
-- Public pages (registration, assessment links, kiosks) name the organization by its slug.
CREATE FUNCTION org_id_by_slug(p_slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM organizations WHERE slug = p_slug $$;
--> statement-breakpoint
-- Background workers find which organizations have due work, then work under each one.
CREATE FUNCTION orgs_with_due_work(p_now timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT org_id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= p_now
    UNION
    SELECT org_id FROM jobs WHERE status = 'pending' AND run_at <= p_now
  $$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION auth_user_by_email(text), auth_session(text), auth_api_key(text),
  org_id_by_slug(text), orgs_with_due_work(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_user_by_email(text), auth_session(text), auth_api_key(text),
  org_id_by_slug(text), orgs_with_due_work(timestamptz) TO throughline_app;
