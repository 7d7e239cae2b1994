-- flagpost_drain_webhook_deliveries runs one drainer batch (lib/gitlab/webhooks/drain-deliveries.ts)
-- as one call, so the batch holds a connection only for the time its SQL takes (on the embedded
-- database that connection is the only one, and accepts wait behind it): it takes the drainers'
-- advisory lock, claims up to p_limit PENDING rows (FOR UPDATE SKIP LOCKED, lowest ids first),
-- applies them in their item's updated_at order through flagpost_apply_webhook_item, and writes
-- each applied delivery's `changes` and an audit row per feature whose GitLab tags changed.
-- It stops before a row it cannot apply by itself and answers its id as "left": a row with release
-- rules (they fire from TypeScript, with each link's previous state), a row stored before this
-- migration (no "reasons" in its payload), or a project missing a GitLab system tag (the apply
-- function's "fallback"). The caller applies that row step by step, then calls again; rows after
-- it stay PENDING, so GitLab's order holds.
-- The audit rows say what lib/gitlab/links/feature-tags.ts (describeTagChange) and
-- lib/gitlab/webhooks/apply-delivery.ts (deliveryChanges) say; tests compare both paths. No audit
-- subscriber (lib/audit/record-audit.ts) runs for them: none acts on feature_tags rows.
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
      jsonb_build_object('delivery_id', v_row.id, 'received_at', v_row.received_at), v_item, p_tag_labels);
    IF v_answer->>'status' = 'fallback' THEN
      RETURN jsonb_build_object('done', v_done, 'oldest_received_at', v_oldest, 'left', v_row.id);
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
      UPDATE webhook_deliveries SET changes = jsonb_build_object(
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
