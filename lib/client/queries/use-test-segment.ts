"use client";

import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { paths } from "@/lib/client/queries/paths";
import type { SegmentTestResult } from "@/lib/client/queries/types";
import type { testSegmentBody } from "@/lib/validations/evaluation";
import type { z } from "zod";

export type SegmentTestInput = z.input<typeof testSegmentBody>;

/** Runs (unsaved) rules against one made-up identity; stores nothing, so nothing to invalidate. */
export function useTestSegment(projectId: number) {
  return useMutation({
    mutationFn: (input: SegmentTestInput) => api.post<SegmentTestResult>(paths.segmentTest(projectId), input),
  });
}
