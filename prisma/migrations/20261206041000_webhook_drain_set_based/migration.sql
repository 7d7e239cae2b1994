-- flagpost_drain_webhook_deliveries applies a drainer batch with a handful of statements for all
-- its rows (per wave, below; usually one) instead of about seven per delivery. On the embedded database each statement has a
-- fixed cost of tens of microseconds, and the statements per delivery were most of a delivery's
-- database time (flagpost_apply_webhook_item, which did one delivery's part, is dropped).
--
-- One call, one transaction, the drainers' advisory lock held throughout:
--   1. claim up to p_limit PENDING rows (FOR UPDATE SKIP LOCKED, lowest ids first) and put them in
--      their item's updated_at order, each with its project's tagging and whether it can be
--      applied here (not: release rules on, a row stored before 20261205170000 without "reasons",
--      a tagging project missing a GitLab system tag: those go step by step in TypeScript);
--   2. take the rows up to the first one that cannot be applied here in waves: a wave ends before
--      the first row whose features an earlier row of the wave touches. With no feature shared,
--      applying a wave's rows together ends where applying them one after the other would, and
--      each row's tag changes are its own; the next wave sees what the ones before it wrote.
--      Per wave: lock (in id order) the features linking each row's item (found through the
--      links' index on GitLab project id, kind and iid, not by reading every feature);
--   3. refresh those features' links to the row's item, skipping links whose stored updated_at is
--      newer;
--   4. re-derive the GitLab tags of the features whose links changed, write an audit row per
--      feature whose tags changed, and write each row once: APPLIED with its `changes`, or IGNORED
--      with its reason (not linked, or out of order).
-- Rows from the first one that cannot be applied here stay PENDING: the answer's "left" names it,
-- the caller applies it step by step and calls again, so GitLab's order holds.
-- The tags, audit rows and `changes` say what lib/gitlab/links/feature-tags.ts and
-- lib/gitlab/webhooks/apply-delivery.ts say; an integration test drains the same events both
-- ways and compares them. No audit subscriber (lib/audit/record-audit.ts) runs for these rows:
-- none acts on feature_tags rows.

DROP FUNCTION IF EXISTS flagpost_apply_webhook_item(integer, jsonb, jsonb, jsonb);

-- The audit summary of a feature's tag change, as describeTagChange (lib/gitlab/links/feature-tags.ts)
-- words it. Now one expression over label arrays, so PostgreSQL inlines it into the statement
-- that calls it instead of running it once per audit row (STABLE like array_to_string: an
-- IMMUTABLE function calling it would not be inlined).
DROP FUNCTION IF EXISTS flagpost_tag_change_summary(text, jsonb, jsonb);
CREATE OR REPLACE FUNCTION flagpost_tag_change_summary(p_feature text, p_added text[], p_removed text[])
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN cardinality(p_added) > 0
              THEN 'Tagged ' || p_feature || ' ' || array_to_string(p_added, ', ')
                   || CASE WHEN cardinality(p_removed) > 0 THEN ' and removed ' || array_to_string(p_removed, ', ') ELSE '' END
              ELSE 'Removed ' || array_to_string(p_removed, ', ') || ' from ' || p_feature END
$$;

CREATE OR REPLACE FUNCTION flagpost_drain_webhook_deliveries(p_limit integer, p_lock_key bigint, p_tag_labels jsonb, p_actor_label text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_claimed jsonb;
  v_rows integer;
  v_eligible integer := 0;
  v_cut integer;
  v_start integer := 1;
  v_wave integer;
  v_linked bigint[];
  v_pairs jsonb;
  v_refreshed jsonb;
  v_done integer := 0;
  v_oldest timestamptz;
BEGIN
  -- One batch at a time across all drainers: batches lock the features of many items, in no
  -- common order. Taken before the claim, so rows another batch applied are no longer PENDING.
  PERFORM pg_advisory_xact_lock(p_lock_key);

  SELECT jsonb_agg(jsonb_build_object(
           'id', r.id, 'project_id', r.project_id, 'received_at', r.received_at, 'item', r.payload->'item',
           'unlinked_reason', r.payload->'reasons'->>'unlinked',
           'out_of_order_reason', r.payload->'reasons'->>'out_of_order',
           'tagging', r.tagging, 'ord', r.ord,
           'eligible', NOT coalesce((r.payload->>'release_rules')::boolean, false) AND r.payload ? 'reasons'
                       AND (NOT r.tagging OR r.tags_ok))
         ORDER BY r.ord)
    INTO v_claimed
  FROM (
    SELECT c.*, g.tagging, g.tags_ok,
           row_number() OVER (ORDER BY coalesce((c.payload->'item'->>'updatedAt')::timestamptz, c.received_at), c.id)::integer AS ord
    FROM (
      SELECT d.id, d.project_id, d.received_at, d.payload FROM webhook_deliveries d
      WHERE d.result = 'PENDING' AND d.payload IS NOT NULL
      ORDER BY d.id LIMIT p_limit
      FOR UPDATE SKIP LOCKED
    ) c
    CROSS JOIN LATERAL (
      SELECT coalesce(bool_or(i.tagging_enabled), false) AS tagging,
             (SELECT count(DISTINCT t.label) FROM tags t
              WHERE t.project_id = c.project_id AND t.type = 'GITLAB' AND t.is_system_tag
                AND t.label IN (SELECT value FROM jsonb_each_text(p_tag_labels)))
               = (SELECT count(*) FROM jsonb_each_text(p_tag_labels)) AS tags_ok
      FROM gitlab_integrations i WHERE i.live_project_id = c.project_id
    ) g
  ) r;
  IF v_claimed IS NULL THEN
    RETURN jsonb_build_object('done', 0, 'oldest_received_at', NULL, 'left', NULL);
  END IF;

  v_rows := jsonb_array_length(v_claimed);
  WHILE v_eligible < v_rows AND (v_claimed->v_eligible->>'eligible')::boolean LOOP
    v_eligible := v_eligible + 1;
  END LOOP;
  IF v_eligible = 0 THEN
    RETURN jsonb_build_object('done', 0, 'oldest_received_at', NULL, 'left', v_claimed->0->'id');
  END IF;

  -- The eligible rows go in waves: a wave ends before the first row sharing a feature with an
  -- earlier row of the wave (v_cut: the first row left out, counted from 1), and the next wave
  -- starts there, seeing what the waves before it wrote.
  LOOP
    -- Features linking each row's item, locked in id order. Links are found through the index on
    -- (gitlab_project_id, type, iid), by path only for a payload without a project id, so a batch
    -- reads the links of its items, not the whole table.
    WITH b AS (
      SELECT b.id, b.ord, b.project_id, (b.item->>'type')::"ExternalResourceType" AS type,
             (b.item->>'iid')::integer AS iid, (b.item->>'gitlabProjectId')::integer AS gitlab_project_id,
             b.item->>'projectPath' AS project_path
      FROM jsonb_to_recordset(v_claimed) AS b(id bigint, project_id integer, item jsonb, ord integer)
      WHERE b.ord BETWEEN v_start AND v_eligible
    ), links AS (
      SELECT b.id, b.ord, b.project_id, r.feature_id FROM b JOIN external_resources r
        ON r.gitlab_project_id = b.gitlab_project_id AND r.type = b.type AND r.iid = b.iid
      UNION
      SELECT b.id, b.ord, b.project_id, r.feature_id FROM b JOIN external_resources r
        ON b.gitlab_project_id IS NULL AND lower(r.gitlab_project_path) = lower(b.project_path)
       AND r.type = b.type AND r.iid = b.iid
    )
    SELECT coalesce(min(l.ord) FILTER (WHERE l.first_ord < l.ord), v_eligible + 1),
           coalesce(array_agg(DISTINCT l.id), '{}'),
           coalesce(jsonb_agg(jsonb_build_object('delivery', l.id, 'feature', l.feature_id)), '[]'::jsonb)
      INTO v_cut, v_linked, v_pairs
    FROM (
      SELECT locked.id, locked.ord, locked.feature_id, min(locked.ord) OVER (PARTITION BY locked.feature_id) AS first_ord
      FROM (
        SELECT l.id, l.ord, f.id AS feature_id
        FROM links l JOIN features f ON f.id = l.feature_id AND f.project_id = l.project_id
        ORDER BY f.id
        FOR UPDATE OF f
      ) locked
    ) l;

    -- The links of each row's features to its item, unless what they store is newer.
    WITH b AS (
      SELECT b.id, b.received_at, b.item,
             (b.item->>'type')::"ExternalResourceType" AS type, (b.item->>'iid')::integer AS iid,
             (b.item->>'gitlabProjectId')::integer AS gitlab_project_id, b.item->>'projectPath' AS project_path,
             b.item->>'state' AS state, (b.item->>'updatedAt')::timestamptz AS updated_at,
             coalesce((b.item->>'updatedAtHasMillis')::boolean, true) AS has_millis,
             (b.item->>'closedAt')::timestamptz AS closed_at
      FROM jsonb_to_recordset(v_claimed) AS b(id bigint, received_at timestamptz, item jsonb, ord integer)
      WHERE b.ord >= v_start AND b.ord < v_cut
    ), pairs AS (
      SELECT * FROM jsonb_to_recordset(v_pairs) AS p(delivery bigint, feature integer)
    ), refreshed AS (
      UPDATE external_resources r SET
        state = b.state,
        draft = (b.item->>'draft')::boolean,
        title = coalesce(b.item->>'title', r.title),
        labels = coalesce(CASE WHEN jsonb_typeof(b.item->'labels') = 'array'
                               THEN ARRAY(SELECT jsonb_array_elements_text(b.item->'labels')) END, r.labels),
        assignees = coalesce(nullif(b.item->'assignees', 'null'::jsonb), r.assignees),
        author = coalesce(nullif(b.item->'author', 'null'::jsonb), r.author),
        gitlab_updated_at = greatest(r.gitlab_updated_at, b.updated_at),
        -- Closed without a time in the body: keep the time already known, else this delivery's.
        closed_at = CASE
          WHEN b.state = 'opened' THEN NULL
          WHEN b.closed_at IS NOT NULL THEN b.closed_at
          WHEN r.state = b.state AND r.closed_at IS NOT NULL THEN r.closed_at
          ELSE b.received_at END,
        metadata_refreshed_at = b.received_at
      FROM pairs p JOIN b ON b.id = p.delivery
      WHERE r.feature_id = p.feature AND r.type = b.type AND r.iid = b.iid
        AND CASE WHEN b.gitlab_project_id IS NOT NULL THEN r.gitlab_project_id = b.gitlab_project_id
                 ELSE lower(r.gitlab_project_path) = lower(b.project_path) END
        AND (b.updated_at IS NULL OR r.gitlab_updated_at IS NULL
             OR (CASE WHEN b.has_millis THEN r.gitlab_updated_at ELSE date_trunc('second', r.gitlab_updated_at) END) <= b.updated_at)
      RETURNING b.id AS delivery, r.feature_id AS feature
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('delivery', delivery, 'feature', feature)), '[]'::jsonb)
      INTO v_refreshed FROM refreshed;

    -- Tags derived from the state of all the features' links (lib/gitlab/links/feature-tags.ts says
    -- the same in TypeScript): per kind the most active item wins; cleanup issues do not count.
    WITH b AS (
      SELECT * FROM jsonb_to_recordset(v_claimed) AS b(id bigint, project_id integer, item jsonb, tagging boolean,
        unlinked_reason text, out_of_order_reason text, ord integer)
      WHERE b.ord >= v_start AND b.ord < v_cut
    ), upd AS (
      SELECT * FROM jsonb_to_recordset(v_refreshed) AS u(delivery bigint, feature integer)
    ), upd_features AS (
      SELECT DISTINCT u.delivery, u.feature, f.project_id, b.tagging
      FROM upd u JOIN b ON b.id = u.delivery JOIN features f ON f.id = u.feature
    ), system AS (
      SELECT t.project_id, e.key, t.id, t.label, CASE WHEN e.key LIKE 'issue%' THEN 0 ELSE 1 END AS kind_order
      FROM jsonb_each_text(p_tag_labels) AS e(key, label)
      JOIN tags t ON t.type = 'GITLAB' AND t.is_system_tag AND t.label = e.label
       AND t.project_id IN (SELECT u.project_id FROM upd_features u WHERE u.tagging)
    ), items AS (
      SELECT r.feature_id, u.project_id,
             CASE WHEN r.type = 'GITLAB_ISSUE' THEN 0 ELSE 1 END AS kind_order,
             CASE WHEN r.type = 'GITLAB_ISSUE' THEN CASE WHEN r.state = 'closed' THEN 'issue_closed' ELSE 'issue_open' END
                  WHEN r.state = 'merged' THEN 'mr_merged'
                  WHEN r.state = 'closed' THEN 'mr_closed'
                  WHEN r.draft THEN 'mr_draft'
                  ELSE 'mr_open' END AS key
      FROM external_resources r JOIN upd_features u ON u.feature = r.feature_id
      WHERE u.tagging AND NOT r.is_cleanup_issue
    ), activity(key, rank) AS (
      VALUES ('issue_open', 2), ('issue_closed', 1), ('mr_open', 4), ('mr_draft', 3), ('mr_merged', 2), ('mr_closed', 1)
    ), wanted AS (
      SELECT DISTINCT ON (i.feature_id, i.kind_order) i.feature_id, s.id AS tag_id
      FROM items i JOIN activity a ON a.key = i.key JOIN system s ON s.project_id = i.project_id AND s.key = i.key
      ORDER BY i.feature_id, i.kind_order, a.rank DESC
    ), have AS (
      SELECT ft.feature_id, ft.tag_id
      FROM feature_tags ft JOIN upd_features u ON u.feature = ft.feature_id AND u.tagging
      JOIN system s ON s.project_id = u.project_id AND s.id = ft.tag_id
    ), removed AS (
      DELETE FROM feature_tags ft USING have h
      WHERE ft.feature_id = h.feature_id AND ft.tag_id = h.tag_id
        AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.feature_id = h.feature_id AND w.tag_id = h.tag_id)
      RETURNING ft.feature_id, ft.tag_id
    ), added AS (
      INSERT INTO feature_tags (feature_id, tag_id)
      SELECT w.feature_id, w.tag_id FROM wanted w
      WHERE NOT EXISTS (SELECT 1 FROM have h WHERE h.feature_id = w.feature_id AND h.tag_id = w.tag_id)
      ON CONFLICT DO NOTHING
      RETURNING feature_id, tag_id
    ), per_feature AS (
      SELECT u.delivery, b.ord, b.project_id, f.id, f.name, p.organisation_id,
        ARRAY(SELECT s.label FROM added a JOIN system s ON s.id = a.tag_id
              WHERE a.feature_id = f.id ORDER BY s.kind_order) AS added,
        ARRAY(SELECT s.label FROM removed d JOIN system s ON s.id = d.tag_id
              WHERE d.feature_id = f.id ORDER BY s.kind_order) AS removed
      FROM upd_features u JOIN b ON b.id = u.delivery
      JOIN features f ON f.id = u.feature JOIN projects p ON p.id = f.project_id
    ), audited AS (
      INSERT INTO audit_logs (organisation_id, project_id, feature_id, actor_label, action, entity_type, entity_id,
                              summary, changes)
      SELECT pf.organisation_id, pf.project_id, pf.id, p_actor_label, 'UPDATE'::"AuditAction", 'feature_tags', pf.id::text,
             flagpost_tag_change_summary(pf.name, pf.added, pf.removed),
             jsonb_build_object('gitlab_tags', jsonb_build_object('from', to_jsonb(pf.removed), 'to', to_jsonb(pf.added)))
      FROM per_feature pf
      WHERE cardinality(pf.added) > 0 OR cardinality(pf.removed) > 0
      ORDER BY pf.ord, pf.id
    ), applied AS (
      UPDATE webhook_deliveries d SET result = 'APPLIED', http_status = 200, payload = NULL, changes = x.changes
      FROM (
        SELECT pf.delivery, jsonb_build_object(
                 'state', b.item->'state',
                 'features', jsonb_agg(jsonb_build_object('id', pf.id, 'name', pf.name, 'added', to_jsonb(pf.added), 'removed', to_jsonb(pf.removed))
                                       ORDER BY pf.id),
                 'updated_links', (SELECT count(*) FROM upd u WHERE u.delivery = pf.delivery)) AS changes
        FROM per_feature pf JOIN b ON b.id = pf.delivery
        GROUP BY pf.delivery, b.item->'state'
      ) x
      WHERE d.id = x.delivery
      RETURNING d.id
    ), ignored AS (
      UPDATE webhook_deliveries d SET result = 'IGNORED', http_status = 200, payload = NULL,
        reason = CASE WHEN b.id = ANY(v_linked) THEN b.out_of_order_reason ELSE b.unlinked_reason END
      FROM b
      WHERE d.id = b.id AND NOT EXISTS (SELECT 1 FROM upd u WHERE u.delivery = b.id)
      RETURNING d.id
    )
    SELECT (SELECT count(*) FROM applied) + (SELECT count(*) FROM ignored) INTO v_wave;
    v_done := v_done + v_wave;
    EXIT WHEN v_cut > v_eligible;
    v_start := v_cut;
  END LOOP;

  SELECT min(b.received_at) INTO v_oldest
  FROM jsonb_to_recordset(v_claimed) AS b(received_at timestamptz, ord integer) WHERE b.ord <= v_eligible;
  RETURN jsonb_build_object('done', v_done, 'oldest_received_at', v_oldest,
    'left', CASE WHEN v_eligible < v_rows THEN v_claimed->v_eligible->'id' END);
END;
$$;
