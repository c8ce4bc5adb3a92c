-- Deterministic data for graphile-starter-4c31379-schema.sql, written for
-- pgbag's tests (the Graphile Starter ships its schema, not data).
--
-- Load it after the schema, as a superuser, into a database where the roles
-- graphile_starter and graphile_starter_visitor exist:
--
--   psql -X -v ON_ERROR_STOP=1 -d gs -f graphile-starter-4c31379-schema.sql
--   psql -X -v ON_ERROR_STOP=1 -d gs -f graphile-starter-data.sql
--
-- No random(), no now(), no gen_random_uuid(): ids are md5-derived UUIDs,
-- times are fixed, and the bcrypt password hashes come from pgcrypto's
-- crypt() with a fixed salt, so every load gives the same rows.
--
-- Triggers are not fired (session_replication_role = replica): the schema's
-- insert triggers queue jobs through graphile_worker.add_job, whose schema
-- the worker installs separately and is not part of schema.sql. The rows
-- they would have added (user_secrets, user_email_secrets) are inserted
-- here directly, and the foreign keys hold by construction.

SET session_replication_role = replica;
SET client_min_messages = warning;

-- 200 users; citext usernames in mixed case, some names that need COPY
-- escapes (tab, newline, backslash) or are not ASCII.
INSERT INTO app_public.users (id, username, name, avatar_url, is_admin, is_verified, created_at, updated_at)
SELECT md5('user' || i)::uuid,
       (ARRAY['User', 'admin', 'ZoE', 'q'])[1 + i % 4] || '_' || lpad(i::text, 4, '0'),
       CASE i % 7
           WHEN 0 THEN NULL
           WHEN 1 THEN 'Zoë Ångström ' || i
           WHEN 2 THEN E'Tab\there ' || i
           WHEN 3 THEN E'Two\nlines ' || i
           WHEN 4 THEN E'back\\slash ' || i
           WHEN 5 THEN '山田 太郎 ' || i
           ELSE 'Person ' || i
       END,
       CASE WHEN i % 3 = 0 THEN 'https://avatars.example.org/' || i || '.png' END,
       i % 50 = 0,
       i % 5 <> 0,
       timestamptz '2021-01-01 00:00:00+00' + i * interval '7 hours 13 minutes',
       timestamptz '2021-06-01 00:00:00+00' + i * interval '3 hours'
FROM generate_series(1, 200) AS i;

-- One primary, verified address per verified user, in mixed case (the
-- unique index on verified addresses compares them case-insensitively);
-- 100 more unverified ones.
INSERT INTO app_public.user_emails (id, user_id, email, is_verified, is_primary, created_at, updated_at)
SELECT md5('email' || i)::uuid, md5('user' || i)::uuid,
       'User' || i || '@Example.ORG', i % 5 <> 0, i % 5 <> 0,
       timestamptz '2021-01-01 00:00:00+00' + i * interval '7 hours 13 minutes',
       timestamptz '2021-01-01 00:00:00+00' + i * interval '7 hours 13 minutes'
FROM generate_series(1, 200) AS i;
INSERT INTO app_public.user_emails (id, user_id, email, is_verified, is_primary, created_at, updated_at)
SELECT md5('email-extra' || i)::uuid, md5('user' || (1 + i % 200))::uuid,
       'second.' || i || '@mail.example.com', false, false,
       timestamptz '2022-01-01 00:00:00+00' + i * interval '1 day',
       timestamptz '2022-01-01 00:00:00+00' + i * interval '1 day'
FROM generate_series(1, 100) AS i;

INSERT INTO app_private.user_secrets (user_id, password_hash, last_login_at, failed_password_attempts)
SELECT md5('user' || i)::uuid,
       CASE WHEN i % 10 <> 0 THEN public.crypt('correct horse ' || i, '$2a$06$' || substr(md5('salt' || i), 1, 22)) END,
       timestamptz '2023-03-01 12:00:00+00' + i * interval '1 hour',
       i % 4
FROM generate_series(1, 200) AS i;

INSERT INTO app_private.user_email_secrets (user_email_id, verification_token, verification_email_sent_at)
SELECT md5('email' || i)::uuid,
       CASE WHEN i % 5 = 0 THEN encode(public.digest('verify' || i, 'sha256'), 'hex') END,
       timestamptz '2021-01-01 00:05:00+00' + i * interval '7 hours 13 minutes'
FROM generate_series(1, 200) AS i;

INSERT INTO app_public.organizations (id, slug, name, created_at)
SELECT md5('org' || i)::uuid, 'Org-' || i, 'Organisation № ' || i,
       timestamptz '2021-02-01 00:00:00+00' + i * interval '5 days'
FROM generate_series(1, 20) AS i;

-- Every user in one organisation, the first of each its owner.
INSERT INTO app_public.organization_memberships (id, organization_id, user_id, is_owner, is_billing_contact, created_at)
SELECT md5('membership' || i)::uuid, md5('org' || (1 + i % 20))::uuid, md5('user' || i)::uuid,
       i <= 20, i <= 20 AND i % 2 = 0,
       timestamptz '2021-02-02 00:00:00+00' + i * interval '1 day'
FROM generate_series(1, 200) AS i;

-- Invitations: to existing users (by id) and to outside addresses (by
-- email, with a code), never both.
INSERT INTO app_public.organization_invitations (id, organization_id, code, user_id, email)
SELECT md5('invitation' || i)::uuid, md5('org' || (1 + (i + 7) % 20))::uuid,
       CASE WHEN i % 2 = 0 THEN encode(public.digest('code' || i, 'sha1'), 'hex') END,
       CASE WHEN i % 2 = 1 THEN md5('user' || i)::uuid END,
       CASE WHEN i % 2 = 0 THEN 'Invitee' || i || '@Elsewhere.example' END
FROM generate_series(1, 30) AS i;

INSERT INTO app_public.user_authentications (id, user_id, service, identifier, details, created_at, updated_at)
SELECT md5('auth' || i)::uuid, md5('user' || i)::uuid, 'github', (100000 + i)::text,
       jsonb_build_object('login', 'gh-user-' || i, 'scopes', jsonb_build_array('read:user', 'user:email')),
       timestamptz '2022-05-01 00:00:00+00' + i * interval '2 days',
       timestamptz '2022-05-01 00:00:00+00' + i * interval '2 days'
FROM generate_series(1, 50) AS i;

INSERT INTO app_private.user_authentication_secrets (user_authentication_id, details)
SELECT md5('auth' || i)::uuid, jsonb_build_object('accessToken', encode(public.digest('token' || i, 'sha256'), 'base64'))
FROM generate_series(1, 50) AS i;

INSERT INTO app_private.sessions (uuid, user_id, created_at, last_active)
SELECT md5('session' || i)::uuid, md5('user' || (1 + i % 200))::uuid,
       timestamptz '2023-01-01 00:00:00+00' + i * interval '90 minutes',
       timestamptz '2023-01-01 00:30:00+00' + i * interval '90 minutes'
FROM generate_series(1, 100) AS i;

INSERT INTO app_private.unregistered_email_password_resets (email, attempts, latest_attempt)
SELECT 'Stranger' || i || '@Nowhere.example', 1 + i % 3, timestamptz '2023-07-01 00:00:00+00' + i * interval '1 hour'
FROM generate_series(1, 10) AS i;

INSERT INTO app_private.connect_pg_simple_sessions (sid, sess, expire)
SELECT md5('sid' || i), json_build_object('cookie', json_build_object('maxAge', 86400000), 'passport', json_build_object('user', md5('session' || i)::uuid)),
       timestamp '2024-01-01 00:00:00' + i * interval '1 day'
FROM generate_series(1, 20) AS i;

SET session_replication_role = origin;
