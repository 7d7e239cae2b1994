-- flagpost_drain_webhook_deliveries runs one drainer batch (lib/gitlab/webhooks/drain-deliveries.ts)
-- as one call, so the batch holds a connection only for the time its SQL takes (on the embedded
-- database that connection is the only one, and accepts wait behind it): it takes the drainers'
-- advisory lock, claims up to p_limit PENDING rows (FOR UPDATE SKIP LOCKED, lowest ids first),
-- applies them in their item's updated_at order through flagpost_apply_webhook_item, and writes
-- each applied delivery's `changes` and an audit row per feature whose GitLab tags changed.
-- Each row is written once, when it is done (APPLIED with its `changes`, or IGNORED with the
-- reason): the claim's row lock keeps it from every other drainer until then.
-- It stops before a row it cannot apply by itself and answers its id as "left": a row with release
-- rules (they fire from TypeScript, with each link's previous state), a row stored before this
-- migration (no "reasons" in its payload), or a row of a project missing a GitLab system tag
-- (checked once per project in a batch; the step-by-step path recreates the tags). The caller
-- applies that row step by step, then calls again; rows after it stay PENDING, so GitLab's order
-- holds.
-- The audit rows say what lib/gitlab/links/feature-tags.ts (describeTagChange) and
-- lib/gitlab/webhooks/apply-delivery.ts (deliveryChanges) say; tests compare both paths. No audit
-- subscriber (lib/audit/record-audit.ts) runs for them: none acts on feature_tags rows.

-- flagpost_apply_webhook_item now applies an item for the drain function only: the caller has
-- claimed and locked the delivery row, checked the project's system tags, and writes the row
-- itself. p_delivery carries "received_at" and "tagging" (the integration tags flags). Steps and
-- answers are as before, without "fallback" and "duplicate".
CREATE OR REPLACE FUNCTION flagpost_apply_webhook_item(p_project_id integer, p_delivery jsonb, p_item jsonb, p_tag_labels jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_features integer[];
  v_updated integer[];
  v_count integer;
  v_tagging boolean := (p_delivery->>'tagging')::boolean;
  v_changes jsonb := '[]'::jsonb;
  v_type "ExternalResourceType" := (p_item->>'type')::"ExternalResourceType";
  v_iid integer := (p_item->>'iid')::integer;
  v_gitlab_project integer := (p_item->>'gitlab_project_id')::integer;
  v_path text := p_item->>'project_path';
  v_state text := p_item->>'state';
  v_updated_at timestamptz := (p_item->>'updated_at')::timestamptz;
  v_millis boolean := coalesce((p_item->>'updated_at_has_millis')::boolean, true);
  v_closed_at timestamptz := (p_item->>'closed_at')::timestamptz;
  v_received timestamptz := (p_delivery->>'received_at')::timestamptz;
BEGIN
  SELECT array_agg(locked.id ORDER BY locked.id) INTO v_features FROM (
    SELECT f.id FROM features f
    WHERE f.project_id = p_project_id AND EXISTS (
      SELECT 1 FROM external_resources r
      WHERE r.feature_id = f.id AND r.type = v_type AND r.iid = v_iid
        AND CASE WHEN v_gitlab_project IS NOT NULL THEN r.gitlab_project_id = v_gitlab_project
                 ELSE lower(r.gitlab_project_path) = lower(v_path) END)
    ORDER BY f.id
    FOR UPDATE
  ) locked;
  IF v_features IS NULL THEN
    RETURN jsonb_build_object('status', 'ignored', 'reason', p_item->>'unlinked_reason');
  END IF;

  WITH refreshed AS (
    UPDATE external_resources r SET
      state = v_state,
      draft = (p_item->>'draft')::boolean,
      title = coalesce(p_item->>'title', r.title),
      labels = coalesce(CASE WHEN jsonb_typeof(p_item->'labels') = 'array'
                             THEN ARRAY(SELECT jsonb_array_elements_text(p_item->'labels')) END, r.labels),
      assignees = coalesce(nullif(p_item->'assignees', 'null'::jsonb), r.assignees),
      author = coalesce(nullif(p_item->'author', 'null'::jsonb), r.author),
      gitlab_updated_at = greatest(r.gitlab_updated_at, v_updated_at),
      -- Closed without a time in the body: keep the time already known, else this delivery's.
      closed_at = CASE
        WHEN v_state = 'opened' THEN NULL
        WHEN v_closed_at IS NOT NULL THEN v_closed_at
        WHEN r.state = v_state AND r.closed_at IS NOT NULL THEN r.closed_at
        ELSE v_received END,
      metadata_refreshed_at = v_received
    WHERE r.feature_id = ANY(v_features) AND r.type = v_type AND r.iid = v_iid
      AND CASE WHEN v_gitlab_project IS NOT NULL THEN r.gitlab_project_id = v_gitlab_project
               ELSE lower(r.gitlab_project_path) = lower(v_path) END
      AND (v_updated_at IS NULL OR r.gitlab_updated_at IS NULL
           OR (CASE WHEN v_millis THEN r.gitlab_updated_at ELSE date_trunc('second', r.gitlab_updated_at) END) <= v_updated_at)
    RETURNING r.feature_id
  )
  SELECT array_agg(DISTINCT feature_id), count(*) INTO v_updated, v_count FROM refreshed;
  IF v_count = 0 THEN
    RETURN jsonb_build_object('status', 'ignored', 'reason', p_item->>'out_of_order_reason');
  END IF;

  -- Tags derived from the state of all the features' links (lib/gitlab/links/feature-tags.ts says
  -- the same in TypeScript): per kind the most active item wins; cleanup issues do not count.
  IF v_tagging THEN
    WITH system AS (
      SELECT e.key, t.id, t.label, CASE WHEN e.key LIKE 'issue%' THEN 0 ELSE 1 END AS kind_order
      FROM jsonb_each_text(p_tag_labels) AS e(key, label)
      JOIN tags t ON t.project_id = p_project_id AND t.type = 'GITLAB' AND t.is_system_tag AND t.label = e.label
    ), items AS (
      SELECT r.feature_id,
             CASE WHEN r.type = 'GITLAB_ISSUE' THEN 0 ELSE 1 END AS kind_order,
             CASE WHEN r.type = 'GITLAB_ISSUE' THEN CASE WHEN r.state = 'closed' THEN 'issue_closed' ELSE 'issue_open' END
                  WHEN r.state = 'merged' THEN 'mr_merged'
                  WHEN r.state = 'closed' THEN 'mr_closed'
                  WHEN r.draft THEN 'mr_draft'
                  ELSE 'mr_open' END AS key
      FROM external_resources r
      WHERE r.feature_id = ANY(v_updated) AND NOT r.is_cleanup_issue
    ), activity(key, rank) AS (
      VALUES ('issue_open', 2), ('issue_closed', 1), ('mr_open', 4), ('mr_draft', 3), ('mr_merged', 2), ('mr_closed', 1)
    ), wanted AS (
      SELECT DISTINCT ON (i.feature_id, i.kind_order) i.feature_id, s.id AS tag_id
      FROM items i JOIN activity a ON a.key = i.key JOIN system s ON s.key = i.key
      ORDER BY i.feature_id, i.kind_order, a.rank DESC
    ), have AS (
      SELECT ft.feature_id, ft.tag_id FROM feature_tags ft JOIN system s ON s.id = ft.tag_id
      WHERE ft.feature_id = ANY(v_updated)
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
      SELECT f.id, f.name, p.organisation_id,
        (SELECT coalesce(jsonb_agg(s.label ORDER BY s.kind_order), '[]'::jsonb)
           FROM added a JOIN system s ON s.id = a.tag_id WHERE a.feature_id = f.id) AS added,
        (SELECT coalesce(jsonb_agg(s.label ORDER BY s.kind_order), '[]'::jsonb)
           FROM removed d JOIN system s ON s.id = d.tag_id WHERE d.feature_id = f.id) AS removed
      FROM features f JOIN projects p ON p.id = f.project_id
      WHERE f.id = ANY(v_updated)
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('feature_id', id, 'feature_name', name,
             'organisation_id', organisation_id, 'added', added, 'removed', removed) ORDER BY id), '[]'::jsonb)
      INTO v_changes
    FROM per_feature WHERE added <> '[]'::jsonb OR removed <> '[]'::jsonb;
  END IF;

  RETURN jsonb_build_object('status', 'applied', 'updated_links', v_count, 'tag_changes', v_changes,
    'updated_features', (SELECT coalesce(jsonb_agg(jsonb_build_object('feature_id', f.id, 'feature_name', f.name)
                                                    ORDER BY f.id), '[]'::jsonb)
                         FROM features f WHERE f.id = ANY(v_updated)));
END;
$$;

CREATE OR REPLACE FUNCTION flagpost_tag_change_summary(p_feature text, p_added jsonb, p_removed jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT upper(left(s, 1)) || substr(s, 2) FROM (
    SELECT concat_ws(' and ',
      CASE WHEN jsonb_array_length(p_added) > 0 THEN
        'tagged ' || p_feature || ' ' || (SELECT string_agg(value, ', ' ORDER BY n) FROM jsonb_array_elements_text(p_added) WITH ORDINALITY AS a(value, n)) END,
      CASE WHEN jsonb_array_length(p_removed) > 0 THEN
        'removed ' || (SELECT string_agg(value, ', ' ORDER BY n) FROM jsonb_array_elements_text(p_removed) WITH ORDINALITY AS r(value, n))
        || CASE WHEN jsonb_array_length(p_added) > 0 THEN '' ELSE ' from ' || p_feature END END) AS s
  ) sentence
$$;

CREATE OR REPLACE FUNCTION flagpost_drain_webhook_deliveries(p_limit integer, p_lock_key bigint, p_tag_labels jsonb, p_actor_label text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_row record;
  v_item jsonb;
  v_answer jsonb;
  v_done integer := 0;
  v_oldest timestamptz;
  v_project integer;
  v_tagging boolean;
  v_tags_ok boolean;
BEGIN
  -- One batch at a time across all drainers: batches lock the features of many items, in no
  -- common order. Taken before the claim, so rows another batch applied are no longer PENDING.
  PERFORM pg_advisory_xact_lock(p_lock_key);
  FOR v_row IN
    SELECT c.id, c.project_id, c.received_at, c.payload FROM (
      SELECT d.id, d.project_id, d.received_at, d.payload FROM webhook_deliveries d
      WHERE d.result = 'PENDING' AND d.payload IS NOT NULL
      ORDER BY d.id LIMIT p_limit
      FOR UPDATE SKIP LOCKED
    ) c
    ORDER BY coalesce((c.payload->'item'->>'updatedAt')::timestamptz, c.received_at), c.id
  LOOP
    IF coalesce((v_row.payload->>'release_rules')::boolean, false) OR NOT v_row.payload ? 'reasons' THEN
      RETURN jsonb_build_object('done', v_done, 'oldest_received_at', v_oldest, 'left', v_row.id);
    END IF;
    IF v_project IS DISTINCT FROM v_row.project_id THEN
      v_project := v_row.project_id;
      SELECT coalesce(bool_or(tagging_enabled), false) INTO v_tagging FROM gitlab_integrations WHERE live_project_id = v_project;
      v_tags_ok := NOT v_tagging OR (
        SELECT count(DISTINCT t.label) FROM tags t
        WHERE t.project_id = v_project AND t.type = 'GITLAB' AND t.is_system_tag
          AND t.label IN (SELECT value FROM jsonb_each_text(p_tag_labels))
      ) = (SELECT count(*) FROM jsonb_each_text(p_tag_labels));
    END IF;
    IF NOT v_tags_ok THEN
      RETURN jsonb_build_object('done', v_done, 'oldest_received_at', v_oldest, 'left', v_row.id);
    END IF;
    v_item := jsonb_build_object(
      'type', v_row.payload->'item'->'type',
      'iid', v_row.payload->'item'->'iid',
      'gitlab_project_id', v_row.payload->'item'->'gitlabProjectId',
      'project_path', v_row.payload->'item'->'projectPath',
      'state', v_row.payload->'item'->'state',
      'draft', v_row.payload->'item'->'draft',
      'title', v_row.payload->'item'->'title',
      'labels', v_row.payload->'item'->'labels',
      'assignees', v_row.payload->'item'->'assignees',
      'author', v_row.payload->'item'->'author',
      'updated_at', v_row.payload->'item'->'updatedAt',
      'updated_at_has_millis', v_row.payload->'item'->'updatedAtHasMillis',
      'closed_at', v_row.payload->'item'->'closedAt',
      'unlinked_reason', v_row.payload->'reasons'->'unlinked',
      'out_of_order_reason', v_row.payload->'reasons'->'out_of_order');
    v_answer := flagpost_apply_webhook_item(v_row.project_id,
      jsonb_build_object('tagging', v_tagging, 'received_at', v_row.received_at), v_item, p_tag_labels);
    IF v_answer->>'status' = 'ignored' THEN
      UPDATE webhook_deliveries SET result = 'IGNORED', http_status = 200, payload = NULL, reason = v_answer->>'reason'
      WHERE id = v_row.id;
    END IF;
    IF v_answer->>'status' = 'applied' THEN
      INSERT INTO audit_logs (organisation_id, project_id, feature_id, actor_label, action, entity_type, entity_id,
                              summary, changes)
      SELECT (c->>'organisation_id')::integer, v_row.project_id, (c->>'feature_id')::integer, p_actor_label,
             'UPDATE'::"AuditAction", 'feature_tags', c->>'feature_id',
             flagpost_tag_change_summary(c->>'feature_name', c->'added', c->'removed'),
             jsonb_build_object('gitlab_tags', jsonb_build_object('from', c->'removed', 'to', c->'added'))
      FROM jsonb_array_elements(v_answer->'tag_changes') WITH ORDINALITY AS t(c, n)
      ORDER BY n;
      UPDATE webhook_deliveries SET result = 'APPLIED', http_status = 200, payload = NULL, changes = jsonb_build_object(
        'state', v_row.payload->'item'->'state',
        'features', (
          SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'id', u->'feature_id', 'name', u->'feature_name',
                   'added', coalesce(tc->'added', '[]'::jsonb), 'removed', coalesce(tc->'removed', '[]'::jsonb))
                   ORDER BY n), '[]'::jsonb)
          FROM jsonb_array_elements(v_answer->'updated_features') WITH ORDINALITY AS f(u, n)
          LEFT JOIN LATERAL (
            SELECT t FROM jsonb_array_elements(v_answer->'tag_changes') AS t
            WHERE t->'feature_id' = u->'feature_id' LIMIT 1
          ) x(tc) ON TRUE),
        'updated_links', v_answer->'updated_links')
      WHERE id = v_row.id;
    END IF;
    v_done := v_done + 1;
    v_oldest := least(v_oldest, v_row.received_at);
  END LOOP;
  RETURN jsonb_build_object('done', v_done, 'oldest_received_at', v_oldest, 'left', NULL);
END;
$$;

-- The drainer no longer calls the batch function that took its items from TypeScript.
DROP FUNCTION IF EXISTS flagpost_apply_webhook_items(integer[], jsonb[], jsonb[], jsonb);
