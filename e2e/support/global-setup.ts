import fs from "node:fs";

// Fresh auth state for every run; the first-run spec writes it after signing up the admin.
export default function globalSetup() {
  fs.rmSync("test-results/.auth", { recursive: true, force: true });
  fs.mkdirSync("test-results/.auth", { recursive: true });
}
