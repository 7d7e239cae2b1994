// What a component wants to happen when a mutation it started settles (a toast, usually). Passed
// to the hook rather than to mutate(), so every call is reported, not only the latest one.
export interface MutationOutcome<TData, TVariables> {
  onSuccess?: (data: TData, variables: TVariables) => void;
  onError?: (error: unknown, variables: TVariables) => void;
}
