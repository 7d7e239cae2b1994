// Shared between specs: the administrator the first-run spec creates.
export const ADMIN = {
  email: "admin@flagpost.test",
  password: "correct horse battery staple",
  name: "Ada Admin",
};
export const GITLAB_SIM_URL = `http://127.0.0.1:${process.env.E2E_GITLAB_SIM_PORT ?? 4210}`;
export const uniqueName = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
