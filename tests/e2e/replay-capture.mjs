// Writes the dialect A replay reports (tests/e2e/replay/): walks the replicas to a step, opens
// "Copy diagnostics" and saves the box's text, as an admin would paste it into an issue.
//   node tests/e2e/replay-capture.mjs      (after ./build.sh)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser } from './harness.mjs';
import { clickMarked, expectMarked, typeInto } from './guide.mjs';
import { openProvisionedInstance, ORG_HOST, SEL } from './walk.mjs';
import { openDiagnostics } from './diagnostics.mjs';
import { REPLAY_DIR } from './replay.mjs';

const server = await startServer();
const browser = await launchBrowser(server);
server.csp[ORG_HOST('acme')] = 'none';
const page = await browser.context.newPage();
const save = async (name) => {
  const text = await openDiagnostics(page);
  writeFileSync(join(REPLAY_DIR, name), text);
  console.log(`wrote ${name} (${text.length} characters)`);
};
try {
  await page.goto(`https://${ORG_HOST('acme')}/admin/dashboard?lang=en`);
  await clickMarked(page, 'applications', SEL.appsGroup);
  await clickMarked(page, 'applications', SEL.appsLink);
  await openProvisionedInstance(page);
  await clickMarked(page, 'provisioning-tab', SEL.provisioningTab);
  await clickMarked(page, 'integration', SEL.integration);
  await clickMarked(page, 'edit', SEL.edit);
  await expectMarked(page, 'reauthenticate', SEL.reauthenticate);
  await save('dialect-a-okta-reauthenticate.txt');
  await clickMarked(page, 'reauthenticate', SEL.reauthenticate);
  await page.waitForURL(/login\.microsoftonline\.com/);
  await typeInto(page, 'microsoft-sign-in', 'input[name=loginfmt]', 'admin@acme.onmicrosoft.com');
  await clickMarked(page, 'microsoft-sign-in', '#idSIButton9');
  await expectMarked(page, 'microsoft-sign-in', 'input[name=passwd]');
  await save('dialect-a-microsoft-password.txt');
} finally {
  await browser.close();
  await server.close();
}
