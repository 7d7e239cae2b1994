"use client";

import { useMutation } from "@tanstack/react-query";
import { api } from "@/lib/client/queries/api-client";
import { paths } from "@/lib/client/queries/paths";

export interface FirstRunSetupInput {
  name?: string;
  email: string;
  password: string;
  organisation_name?: string;
}

interface FirstRunSetupAnswer {
  user: { id: number; email: string; name: string };
  organisation: { id: number; name: string };
}

/** Creates the first administrator and organisation (only while no user exists). */
export function useFirstRunSetup() {
  return useMutation({
    mutationFn: (input: FirstRunSetupInput) => api.post<FirstRunSetupAnswer>(paths.setup(), input),
  });
}
