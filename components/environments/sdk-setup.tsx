"use client";

import { Tab, TabGroup, TabList, TabPanel, TabPanels } from "@headlessui/react";
import { focusRing } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";

// "Reading flags from your application" for one environment: its client-side key and a
// copy-paste set-up per SDK (Flagsmith's Node.js and JavaScript SDKs, OpenFeature with OFREP).
// Server-side keys (`ser.…`) are shown once when created, so the snippets show a placeholder.

export interface SdkSetupProps {
  environment: { name: string; api_key: string };
  /** FLAGPOST_PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
}

function sdkSnippets(environment: SdkSetupProps["environment"], publicUrl: string) {
  const apiUrl = `${publicUrl}/api/v1/`;
  return [
    {
      id: "flagsmith-nodejs",
      label: "Node.js (flagsmith-nodejs)",
      code: `// npm install flagsmith-nodejs
import { Flagsmith } from "flagsmith-nodejs";

const flagsmith = new Flagsmith({
  apiUrl: "${apiUrl}",
  environmentKey: "${environment.api_key}",
  // For local evaluation use a server-side key instead:
  // environmentKey: "ser.…", enableLocalEvaluation: true, environmentRefreshIntervalSeconds: 10,
});

const flags = await flagsmith.getIdentityFlags("user-42", { plan: "pro" });
if (flags.isFeatureEnabled("new_checkout")) {
  console.log(flags.getFeatureValue("new_checkout"));
}`,
    },
    {
      id: "flagsmith-js",
      label: "Browser (flagsmith)",
      code: `// npm install flagsmith
import flagsmith from "flagsmith";

await flagsmith.init({
  api: "${apiUrl}",
  environmentID: "${environment.api_key}",
});
await flagsmith.identify("user-42", { plan: "pro" });
flagsmith.startListening(10_000); // re-read flags every 10 s

if (flagsmith.hasFeature("new_checkout")) {
  console.log(flagsmith.getValue("new_checkout"));
}`,
    },
    {
      id: "openfeature",
      label: "OpenFeature (OFREP)",
      code: `// npm install @openfeature/server-sdk @openfeature/ofrep-provider
import { OpenFeature } from "@openfeature/server-sdk";
import { OFREPProvider } from "@openfeature/ofrep-provider";

await OpenFeature.setProviderAndWait(
  new OFREPProvider({
    baseUrl: "${publicUrl}",
    headers: [["Authorization", "Bearer ${environment.api_key}"]],
  }),
);
const client = OpenFeature.getClient();
const enabled = await client.getBooleanValue("new_checkout", false, {
  targetingKey: "user-42",
  plan: "pro",
});`,
    },
  ];
}

export function SdkSetup({ environment, publicUrl }: SdkSetupProps) {
  const snippets = sdkSnippets(environment, publicUrl);
  return (
    <section aria-labelledby="sdk-setup-title" className="space-y-4">
      <div>
        <h2 id="sdk-setup-title" className="text-base font-semibold">
          Reading flags from your application
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Flagsmith&apos;s SDKs and OpenFeature (OFREP) read {environment.name}&apos;s flags with these keys.
          The client-side key only reads flags and may ship in browser code; server-side keys (
          <code>ser.…</code>, created under the environment&apos;s API keys and shown once) also read the
          environment document for local evaluation and belong on servers only.
        </p>
      </div>
      <dl className="grid gap-2 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="font-medium">Client-side key</dt>
        <dd className="flex items-center gap-2">
          <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
            {environment.api_key}
          </code>
          <CopyButton value={environment.api_key} what={`${environment.name} client-side key`} />
        </dd>
        <dt className="font-medium">SDK API URL</dt>
        <dd className="flex items-center gap-2">
          <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
            {publicUrl}/api/v1/
          </code>
          <CopyButton value={`${publicUrl}/api/v1/`} what="SDK API URL" />
        </dd>
      </dl>
      <TabGroup>
        <TabList aria-label="SDK" className="flex gap-1 border-b border-zinc-200 dark:border-zinc-700">
          {snippets.map((snippet) => (
            <Tab
              key={snippet.id}
              className={cx(
                "-mb-px rounded-t border-b-2 border-transparent px-3 py-2 text-sm data-[selected]:border-accent-600 data-[selected]:font-medium",
                focusRing,
              )}
            >
              {snippet.label}
            </Tab>
          ))}
        </TabList>
        <TabPanels className="mt-3">
          {snippets.map((snippet) => (
            <TabPanel key={snippet.id} className="space-y-2">
              <div className="flex justify-end">
                <CopyButton value={snippet.code} what={`${snippet.label} set-up`} />
              </div>
              <pre className="overflow-x-auto rounded bg-zinc-950 p-4 font-mono text-xs text-zinc-100">
                <code>{snippet.code}</code>
              </pre>
            </TabPanel>
          ))}
        </TabPanels>
      </TabGroup>
    </section>
  );
}
