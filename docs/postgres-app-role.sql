-- Tandem's least-privilege PostgreSQL role for the running application.
--
-- Two roles (docs/deployment.md, "PostgreSQL"):
--   tandem      owns the database and every table; runs `manage.py migrate` only.
--   tandem_app  what gunicorn, the worker and the timers connect as. It reads and
--               writes rows, and nothing else: it owns no table, so it cannot ALTER a
--               table or DISABLE its triggers (the locks on signed notes and on the
--               access log), and it is given no TRUNCATE, which skips row triggers.
--
-- Run as `tandem`, connected to Tandem's database, once after creating the roles and
-- again after each upgrade's `migrate` (it is idempotent; the default privileges below
-- already cover tables that later migrations create):
--
--   psql "postgres://tandem:…@127.0.0.1:5432/tandem" -f docs/postgres-app-role.sql

GRANT USAGE ON SCHEMA public TO tandem_app;

-- Rows: read, add, change, delete. No TRUNCATE, REFERENCES or TRIGGER.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tandem_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tandem_app;
ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tandem_app;
ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO tandem_app;

-- Append-only records: the application only ever adds them. The triggers refuse
-- changes too; without the privilege the app role cannot even try.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_accesslog FROM tandem_app;
REVOKE UPDATE, DELETE, TRUNCATE ON notes_addendum FROM tandem_app;
-- The version history of every clinical record (django-simple-history's tables).
DO $$
DECLARE history text;
BEGIN
  FOR history IN
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%\_historical%'
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM tandem_app', history);
  END LOOP;
END $$;

-- The app role creates nothing (PostgreSQL 15+ already refuses this by default).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
