import { z } from "zod";

// A person's GitLab username, as GitLab allows it: letters, digits, "_", "-" and ".", starting and
// ending with a letter or digit, no two special characters in a row, not ending in ".git" or
// ".atom", at most 255 characters. A leading "@" is dropped; empty clears it (null).

const GITLAB_USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/;

export const gitlabUsernameField = z
  .string()
  .trim()
  .transform((text) => text.replace(/^@/, ""))
  .pipe(
    z
      .string()
      .max(255, "A GitLab username has at most 255 characters")
      .refine(
        (name) => name === "" || GITLAB_USERNAME.test(name),
        "A GitLab username has letters, digits, _, - and ., and starts and ends with a letter or digit",
      )
      .refine((name) => !/[_.-]{2}/.test(name), "A GitLab username has no two of _ - . in a row")
      .refine((name) => !/\.(git|atom)$/i.test(name), "A GitLab username cannot end in .git or .atom"),
  )
  .transform((name) => (name === "" ? null : name))
  .nullable();

/** PATCH /api/v1/me/: what people change on their own account. */
export const updateMeBody = z.object({ gitlab_username: gitlabUsernameField });
