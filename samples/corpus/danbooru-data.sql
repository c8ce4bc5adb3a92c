-- Deterministic data for danbooru-6066256-structure.sql, written for pgbag's
-- tests (Danbooru ships its schema, not data; the only rows in the schema
-- file itself are Rails' schema_migrations).
--
--   psql -X -v ON_ERROR_STOP=1 -d danbooru -f danbooru-6066256-structure.sql
--   psql -X -v ON_ERROR_STOP=1 -d danbooru -f danbooru-data.sql
--
-- Into a fresh database only: ids come from the schema's own sequences,
-- starting at 1, and the foreign keys below count on that. No random(), no
-- now(): times are fixed and the bcrypt hashes come from pgcrypto's crypt()
-- with a fixed salt, so every load gives the same rows. The values fill the
-- columns behind the schema's pg_trgm GIN indexes (several of them on
-- expressions, or combined with btree_gin on an integer column), and some
-- need COPY escapes (tab, newline, backslash) or are not ASCII.

SET client_min_messages = warning;

INSERT INTO public.users (created_at, updated_at, name, inviter_id, level, last_logged_in_at,
    post_upload_count, post_update_count, note_update_count, favorite_count, comment_threshold,
    default_image_size, favorite_tags, blacklisted_tags, time_zone, bcrypt_password_hash, per_page,
    custom_style, bit_prefs, last_ip_addr, unread_dmail_count, theme, upload_points, backup_codes)
SELECT timestamp '2015-01-01 00:00:00' + i * interval '11 days 5 hours',
       timestamp '2024-01-01 00:00:00' + i * interval '1 hour',
       CASE i % 6
           WHEN 0 THEN 'ユーザー_' || i
           WHEN 1 THEN 'Zoë_' || i
           ELSE 'user_' || lpad(i::text, 4, '0')
       END,
       CASE WHEN i > 10 THEN 1 + i % 10 END,
       (ARRAY[10, 20, 30, 32, 40, 50])[1 + i % 6],
       CASE WHEN i % 4 <> 0 THEN timestamp '2024-06-01 00:00:00' + i * interval '1 hour' END,
       i * 3, i * 7, i % 13, i % 40, -8 + i % 3,
       (ARRAY['large', 'original'])[1 + i % 2],
       CASE WHEN i % 3 = 0 THEN 'touhou hatsune_miku ' || i END,
       CASE WHEN i % 5 = 0 THEN E'guro\nscat\n-rating:g ' || i ELSE '' END,
       (ARRAY['Eastern Time (US & Canada)', 'Tokyo', 'UTC', 'Berlin'])[1 + i % 4],
       public.crypt('password' || i, '$2a$06$' || substr(md5('danbooru-salt' || i), 1, 22)),
       (ARRAY[20, 50, 100])[1 + i % 3],
       CASE WHEN i % 9 = 0 THEN E'body {\n\tbackground: #' || substr(md5(i::text), 1, 6) || E';\n}\n/* \\o/ */' END,
       (i * 2654435761) % 4294967296,
       ('10.' || (i / 256) || '.' || (i % 256) || '.1')::inet,
       i % 3, i % 2, 1000 + i * 10,
       CASE WHEN i % 7 = 0 THEN ARRAY[i * 111111 % 1000000, i * 222223 % 1000000] END
FROM generate_series(1, 100) AS i;

-- One address per user for 80 of them (the schema allows one).
INSERT INTO public.email_addresses (created_at, updated_at, user_id, address, normalized_address, is_verified, is_deliverable)
SELECT timestamp '2016-01-01 00:00:00' + i * interval '1 day', timestamp '2016-01-01 00:00:00' + i * interval '1 day', i,
       'First.Last+' || i || '@GMail.com', 'firstlast' || i || '@gmail.com', i % 3 <> 0, i % 11 <> 0
FROM generate_series(1, 80) AS i;

INSERT INTO public.tags (name, post_count, category, created_at, updated_at, is_deprecated, words)
SELECT name, (i * 37) % 1000, (ARRAY[0, 1, 3, 4, 5])[1 + i % 5],
       timestamp '2010-01-01 00:00:00' + i * interval '3 days', timestamp '2023-01-01 00:00:00' + i * interval '1 hour',
       i % 41 = 0, string_to_array(name, '_')::varchar[]
FROM generate_series(1, 300) AS i,
     LATERAL (SELECT (ARRAY['long_hair', 'blue_eyes', 'smile', 'hatsune_miku', 'original', 'touhou',
                            'absurdres', 'looking_at_viewer', 'école', '東方'])[1 + i % 10] || '_' || i AS name) AS n;

INSERT INTO public.tag_versions (created_at, updated_at, tag_id, updater_id, previous_version_id, version, name, category, is_deprecated)
SELECT created_at, updated_at, id, 1 + id % 100, NULL, 1, name, category, is_deprecated FROM public.tags ORDER BY id;

INSERT INTO public.artists (name, is_deleted, is_banned, group_name, created_at, updated_at, other_names)
SELECT 'artist_' || i, i % 17 = 0, i % 23 = 0, CASE WHEN i % 4 = 0 THEN 'circle_' || (i / 4) ELSE '' END,
       timestamp '2012-01-01 00:00:00' + i * interval '9 days', timestamp '2022-01-01 00:00:00' + i * interval '9 days',
       ARRAY['アーティスト' || i, 'Artist ' || i]
FROM generate_series(1, 50) AS i;

INSERT INTO public.artist_urls (artist_id, url, created_at, updated_at, is_active)
SELECT 1 + i % 50,
       (ARRAY['https://www.pixiv.net/users/', 'https://twitter.com/artist', 'http://example.tumblr.com/post/'])[1 + i % 3] || (1000 + i) || '/',
       timestamp '2012-02-01 00:00:00' + i * interval '4 days', timestamp '2022-02-01 00:00:00' + i * interval '4 days', i % 6 <> 0
FROM generate_series(1, 100) AS i;

INSERT INTO public.media_assets (created_at, updated_at, md5, file_ext, file_size, image_width, image_height, duration, status, file_key, is_public, pixel_hash)
SELECT timestamp '2018-01-01 00:00:00' + i * interval '6 hours', timestamp '2018-01-01 00:00:00' + i * interval '6 hours',
       md5('post' || i), (ARRAY['jpg', 'png', 'gif', 'mp4'])[1 + i % 4], 100000 + i * 997, 800 + i % 400, 600 + i % 300,
       CASE WHEN i % 4 = 3 THEN (i % 60) + 0.5 END, 200, substr(md5('key' || i), 1, 9), i % 13 <> 0, md5('pixels' || i)::uuid
FROM generate_series(1, 500) AS i;

INSERT INTO public.posts (created_at, updated_at, up_score, down_score, score, source, md5, rating, uploader_id, approver_id,
    fav_count, tag_string, tag_count, tag_count_general, file_ext, file_size, image_width, image_height, parent_id, pixiv_id, bit_flags)
SELECT timestamp '2018-01-01 00:00:00' + i * interval '6 hours', timestamp '2023-01-01 00:00:00' + i * interval '30 minutes',
       i % 20, i % 3, i % 20 - i % 3,
       CASE i % 4
           WHEN 0 THEN ''
           WHEN 1 THEN 'https://i.pximg.net/img-original/img/2019/01/01/00/00/00/' || (70000000 + i) || '_p0.png'
           WHEN 2 THEN 'https://twitter.com/artist' || (1 + i % 50) || '/status/' || (1000000000000 + i)
           ELSE 'Scanned from a book, page ' || i
       END,
       md5('post' || i), (ARRAY['g', 's', 'q', 'e'])[1 + i % 4], 1 + i % 100, CASE WHEN i % 5 <> 0 THEN 1 + (i * 7) % 100 END,
       i % 40,
       (SELECT string_agg(name, ' ' ORDER BY id) FROM public.tags WHERE id IN (1 + i % 300, 1 + (i * 7) % 300, 1 + (i * 13) % 300)),
       3, 3, (ARRAY['jpg', 'png', 'gif', 'mp4'])[1 + i % 4], 100000 + i * 997, 800 + i % 400, 600 + i % 300,
       CASE WHEN i > 1 AND i % 25 = 0 THEN i - 1 END, CASE WHEN i % 4 = 1 THEN 70000000 + i END, i % 8
FROM generate_series(1, 500) AS i;

INSERT INTO public.favorites (user_id, post_id)
SELECT 1 + i % 100, 1 + (i * 7) % 500 FROM generate_series(1, 400) AS i;

INSERT INTO public.comments (post_id, creator_id, body, score, created_at, updated_at, updater_id, do_not_bump_post, is_deleted, is_sticky)
SELECT 1 + (i * 3) % 500, 1 + i % 100,
       CASE i % 5
           WHEN 0 THEN E'[quote]\nuser_' || i || E' said:\n\nnice\n[/quote]\n\nAgreed.'
           WHEN 1 THEN E'Column\twith\ttabs ' || i
           WHEN 2 THEN E'C:\\Users\\fan\\Pictures\\' || i || '.png'
           WHEN 3 THEN 'かわいい！ ' || i
           ELSE 'Comment number ' || i || ' "quoted" and ''apostrophes'''
       END,
       i % 7 - 3, timestamp '2019-01-01 00:00:00' + i * interval '2 hours', timestamp '2019-01-01 00:00:00' + i * interval '2 hours',
       CASE WHEN i % 10 = 0 THEN 1 + (i + 1) % 100 END, i % 9 = 0, i % 31 = 0, i % 97 = 0
FROM generate_series(1, 600) AS i;

INSERT INTO public.pools (name, description, is_active, post_ids, is_deleted, created_at, updated_at, category)
SELECT 'Pool_' || i || '_' || (ARRAY['Doujinshi', 'Comic', 'Series', 'Favourites'])[1 + i % 4],
       CASE WHEN i % 3 <> 0 THEN E'A pool.\r\nWith a DOS line break, ' || i END,
       i % 8 <> 0, ARRAY(SELECT 1 + (i * 11 + k) % 500 FROM generate_series(0, i % 12) AS k), i % 19 = 0,
       timestamp '2017-01-01 00:00:00' + i * interval '20 days', timestamp '2023-01-01 00:00:00' + i * interval '20 days',
       (ARRAY['series', 'collection'])[1 + i % 2]
FROM generate_series(1, 30) AS i;

INSERT INTO public.wiki_pages (title, body, is_locked, created_at, updated_at, other_names, is_deleted)
SELECT name, E'h4. ' || name || E'\n\nSee [[' || name || E']] and {{' || name || E'}}.\n\n* list item\n* another', id % 29 = 0,
       created_at, updated_at, ARRAY[upper(name)], id % 47 = 0
FROM public.tags WHERE id <= 100 ORDER BY id;

INSERT INTO public.forum_topics (creator_id, updater_id, title, response_count, is_sticky, is_locked, is_deleted, created_at, updated_at, category_id, min_level)
SELECT 1 + i % 100, 1 + (i + 3) % 100, 'Topic #' || i || ': tag alias proposal', 10, i = 1, i % 9 = 0, false,
       timestamp '2020-01-01 00:00:00' + i * interval '3 days', timestamp '2020-01-01 00:00:00' + i * interval '3 days', i % 3, 0
FROM generate_series(1, 20) AS i;

INSERT INTO public.forum_posts (topic_id, creator_id, updater_id, body, is_deleted, created_at, updated_at)
SELECT 1 + i % 20, 1 + (i * 3) % 100, 1 + (i * 3) % 100, E'Post ' || i || E' in the thread.\n\n> quoted\n\\\\ backslashes \\\\', i % 50 = 0,
       timestamp '2020-01-02 00:00:00' + i * interval '7 hours', timestamp '2020-01-02 00:00:00' + i * interval '7 hours'
FROM generate_series(1, 200) AS i;

INSERT INTO public.tag_aliases (antecedent_name, consequent_name, creator_id, forum_topic_id, status, created_at, updated_at, approver_id, forum_post_id, reason)
SELECT 'old_name_' || i, (SELECT name FROM public.tags WHERE id = i), 1 + i % 100, 1 + i % 20,
       (ARRAY['active', 'deleted', 'retired'])[1 + i % 3],
       timestamp '2020-02-01 00:00:00' + i * interval '1 day', timestamp '2020-02-01 00:00:00' + i * interval '1 day',
       1 + (i * 5) % 100, 1 + i % 200, 'See topic #' || (1 + i % 20)
FROM generate_series(1, 30) AS i;

INSERT INTO public.mod_actions (creator_id, description, created_at, updated_at, category, subject_type, subject_id)
SELECT 1 + i % 10, 'banned <@user_' || lpad((1 + i % 100)::text, 4, '0') || '> for 3 days: spamming ' || i,
       timestamp '2021-01-01 00:00:00' + i * interval '13 hours', timestamp '2021-01-01 00:00:00' + i * interval '13 hours',
       i % 50, CASE WHEN i % 2 = 0 THEN 'User' END, CASE WHEN i % 2 = 0 THEN 1 + i % 100 END
FROM generate_series(1, 100) AS i;

INSERT INTO public.api_keys (user_id, key, created_at, updated_at, name, permissions, permitted_ip_addresses, uses, last_used_at, last_ip_address)
SELECT i * 3, encode(public.digest('api-key' || i, 'sha256'), 'hex'),
       timestamp '2022-01-01 00:00:00' + i * interval '1 day', timestamp '2022-01-01 00:00:00' + i * interval '1 day',
       'key ' || i, ARRAY['posts:index', 'posts:show']::varchar[],
       CASE WHEN i % 2 = 0 THEN ARRAY['192.0.2.0/24', '2001:db8::/32']::inet[] ELSE '{}' END,
       i * 100, timestamp '2022-06-01 00:00:00' + i * interval '1 day', ('198.51.100.' || i)::inet
FROM generate_series(1, 10) AS i;

INSERT INTO public.uploads (source, uploader_id, status, created_at, updated_at, referer_url, error, media_asset_count)
SELECT 'https://i.pximg.net/img-original/img/2019/01/01/00/00/00/' || (80000000 + i) || '_p0.png', 1 + i % 100,
       (ARRAY['completed', 'pending', 'error'])[1 + i % 3],
       timestamp '2019-05-01 00:00:00' + i * interval '5 hours', timestamp '2019-05-01 00:00:00' + i * interval '5 hours',
       'https://www.pixiv.net/artworks/' || (80000000 + i), CASE WHEN i % 3 = 2 THEN 'Net::ReadTimeout' END, 1
FROM generate_series(1, 100) AS i;

INSERT INTO public.upload_media_assets (created_at, updated_at, upload_id, media_asset_id, status, source_url, error, page_url, user_id)
SELECT timestamp '2019-05-01 00:00:00' + i * interval '5 hours', timestamp '2019-05-01 00:00:00' + i * interval '5 hours',
       i, i, i % 3, 'https://i.pximg.net/img-original/img/2019/01/01/00/00/00/' || (80000000 + i) || '_p0.png', NULL,
       'https://www.pixiv.net/artworks/' || (80000000 + i), 1 + i % 100
FROM generate_series(1, 100) AS i;

INSERT INTO public.user_sessions (created_at, updated_at, ip_addr, session_id, user_agent)
SELECT timestamp '2023-01-01 00:00:00' + i * interval '1 hour', timestamp '2023-01-01 00:00:00' + i * interval '1 hour',
       ('203.0.113.' || i)::inet, md5('session' || i), 'Mozilla/5.0 (X11; Linux x86_64) Firefox/' || (100 + i % 20) || '.0'
FROM generate_series(1, 50) AS i;

INSERT INTO public.user_events (created_at, updated_at, user_id, user_session_id, category, ip_addr, session_id, user_agent, metadata)
SELECT timestamp '2023-01-01 00:10:00' + i * interval '17 minutes', timestamp '2023-01-01 00:10:00' + i * interval '17 minutes',
       1 + i % 100, 1 + i % 50, i % 5, ('203.0.113.' || (1 + i % 50))::inet, md5('event-session' || i)::uuid,
       'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/' || (110 + i % 10) || '.0',
       CASE WHEN i % 4 = 0 THEN jsonb_build_object('login', true, 'attempt', i) END
FROM generate_series(1, 200) AS i;
