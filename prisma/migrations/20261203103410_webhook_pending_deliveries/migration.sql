-- AlterEnum
ALTER TYPE "DeliveryResult" ADD VALUE 'PENDING';

-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "payload" JSONB;

-- CreateIndex
CREATE INDEX "webhook_deliveries_result_id_idx" ON "webhook_deliveries"("result", "id");

-- flagpost_apply_webhook_item also applies an accepted delivery: with "delivery_id" in p_delivery
-- it claims that PENDING row (answering "duplicate" when it is no longer pending) instead of
-- inserting one. The rest is unchanged.
CREATE OR REPLACE FUNCTION flagpost_apply_webhook_item(p_project_id integer, p_delivery jsonb, p_item jsonb, p_tag_labels jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_delivery_id bigint;
  v_features integer[];
  v_updated integer[];
  v_count integer;
  v_tagging boolean;
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
  SELECT tagging_enabled INTO v_tagging FROM gitlab_integrations WHERE live_project_id = p_project_id;
  v_tagging := coalesce(v_tagging, false);
  IF v_tagging AND (
    SELECT count(DISTINCT t.label) FROM tags t
    WHERE t.project_id = p_project_id AND t.type = 'GITLAB' AND t.is_system_tag
      AND t.label IN (SELECT value FROM jsonb_each_text(p_tag_labels))
  ) < (SELECT count(*) FROM jsonb_each_text(p_tag_labels)) THEN
    RETURN jsonb_build_object('status', 'fallback');
  END IF;

  IF p_delivery ? 'delivery_id' THEN
    -- An accepted (pending) delivery: claim it; a row no longer pending was applied already.
    UPDATE webhook_deliveries SET result = 'APPLIED', http_status = 200, payload = NULL,
      duration_ms = coalesce((p_delivery->>'duration_ms')::integer, duration_ms)
    WHERE id = (p_delivery->>'delivery_id')::bigint AND result = 'PENDING'
    RETURNING id INTO v_delivery_id;
  ELSE
    INSERT INTO webhook_deliveries (project_id, integration_id, received_at, event, action, object_kind, item_ref,
                                    idempotency_key, dedupe_key, result, http_status, duration_ms)
    VALUES (p_project_id, (p_delivery->>'integration_id')::integer, v_received, p_delivery->>'event',
            p_delivery->>'action', p_delivery->>'object_kind', p_delivery->>'item_ref', p_delivery->>'idempotency_key',
            p_delivery->>'dedupe_key', 'APPLIED', 200, (p_delivery->>'duration_ms')::integer)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id INTO v_delivery_id;
  END IF;
  IF v_delivery_id IS NULL THEN
    RETURN jsonb_build_object('status', 'duplicate');
  END IF;

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
    UPDATE webhook_deliveries SET result = 'IGNORED', reason = p_item->>'unlinked_reason' WHERE id = v_delivery_id;
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
    UPDATE webhook_deliveries SET result = 'IGNORED', reason = p_item->>'out_of_order_reason' WHERE id = v_delivery_id;
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
    'delivery_id', v_delivery_id,
    'updated_features', (SELECT coalesce(jsonb_agg(jsonb_build_object('feature_id', f.id, 'feature_name', f.name)
                                                    ORDER BY f.id), '[]'::jsonb)
                         FROM features f WHERE f.id = ANY(v_updated)));
END;
$$;
