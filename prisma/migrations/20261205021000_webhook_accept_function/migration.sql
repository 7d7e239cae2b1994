-- flagpost_accept_webhook_deliveries stores the receiver's accepted deliveries (one jsonb array of
-- rows, lib/gitlab/webhooks/drain-deliveries.ts) as PENDING rows, each only if its project's
-- integration row still has the fingerprint (md5 of the row) the receiver checked the secret
-- against. One answer per input row: whether the integration was still live, and the new row's id
-- (null when the dedupe key was taken already). A function rather than the statement itself: its
-- plan is prepared once per connection, and planning was about half of an acceptance's database
-- time on the embedded database.
CREATE OR REPLACE FUNCTION flagpost_accept_webhook_deliveries(p_rows jsonb)
RETURNS TABLE(delivery_seq bigint, integration_live boolean, delivery_id bigint) LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(p_rows) AS i(
      seq bigint, project_id int, integration_id int, received_at timestamptz, event text, action text,
      object_kind text, item_ref text, idempotency_key text, dedupe_key text, duration_ms int,
      payload jsonb, fingerprint text)
  ), live AS (
    SELECT i.seq AS live_seq, nextval('webhook_deliveries_id_seq'::regclass) AS new_id
    FROM input i JOIN gitlab_integrations g ON g.live_project_id = i.project_id AND md5(g::text) = i.fingerprint
  ), inserted AS (
    INSERT INTO webhook_deliveries AS w (id, project_id, integration_id, received_at, event, action, object_kind,
                                         item_ref, idempotency_key, dedupe_key, result, http_status, duration_ms, payload)
    SELECT l.new_id, i.project_id, i.integration_id, i.received_at, i.event, i.action, i.object_kind, i.item_ref,
           i.idempotency_key, i.dedupe_key, 'PENDING', 200, i.duration_ms, i.payload
    FROM input i JOIN live l ON l.live_seq = i.seq
    ORDER BY i.seq
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING w.id AS inserted_id
  )
  SELECT i.seq, l.live_seq IS NOT NULL, ins.inserted_id
  FROM input i LEFT JOIN live l ON l.live_seq = i.seq LEFT JOIN inserted ins ON ins.inserted_id = l.new_id;
END;
$$;
