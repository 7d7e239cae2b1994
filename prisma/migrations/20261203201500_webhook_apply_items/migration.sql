-- flagpost_apply_webhook_items applies a drainer batch's deliveries with one call: each in turn
-- through flagpost_apply_webhook_item, in the order given; one jsonb answer per delivery tried. It
-- stops after the first "fallback" answer (its project lacks a system tag): the caller applies that
-- delivery step by step, which recreates the tags, and calls again with the rest, which then need
-- no fallback.
CREATE OR REPLACE FUNCTION flagpost_apply_webhook_items(p_project_ids integer[], p_deliveries jsonb[], p_items jsonb[], p_tag_labels jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_answers jsonb := '[]'::jsonb;
  v_answer jsonb;
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_items, 1), 0) LOOP
    v_answer := flagpost_apply_webhook_item(p_project_ids[i], p_deliveries[i], p_items[i], p_tag_labels);
    v_answers := v_answers || jsonb_build_array(v_answer);
    EXIT WHEN v_answer->>'status' = 'fallback';
  END LOOP;
  RETURN v_answers;
END;
$$;
