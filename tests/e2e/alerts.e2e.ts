/**
 * End to end: a seller-standing alert the real daemon raises reaches WordPress the way a store
 * owner meets it. The daemon's ledger holds orders whose seller cancellations put Amazon and
 * Walmart near and past their limits (tests/plugin/tests/AlertSeed.ts); its own check raises the
 * alerts; WordPress's cron (wp-cron.php over HTTP, as a system cron calls it) runs the plugin's
 * poll, which turns each alert into an admin notice and exactly one e-mail through wp_mail, however
 * many polls follow; an alert acknowledged at the daemon leaves the notices.
 *
 * The test site has no mail server: for this file's run a must-use plugin records wp_mail calls
 * in a file instead of sending them, and is removed afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { ALERTING_CHANNELS, seedSellerCancellations } from '../plugin/tests/AlertSeed.js';
import { siteAnswers, wp, wpCron } from './support.js';

const WP_DIR = process.env.SHELFGUARD_WP_DIR ?? '';
const MAIL_LOG = join(WP_DIR, 'e2e-alert-mails.jsonl');
const MAIL_CAPTURE = join(WP_DIR, 'docroot', 'wp-content', 'mu-plugins', 'shelfguard-e2e-alert-mail.php');
const ALERT_EMAIL = 'e2e-alerts@example.test';

interface Mail { to: string; subject: string; message: string }

/** PHP in the site's WordPress context (like tests/e2e/wp.php); its last line of output as JSON. */
function sitePhp<T>(code: string, env: Record<string, string> = {}): Promise<T> {
  const boot = "$_SERVER['HTTP_HOST'] = '127.0.0.1'; $_SERVER['REQUEST_URI'] = '/'; require getenv('SHELFGUARD_WP_DIR') . '/docroot/wp-load.php';";
  return new Promise((resolve, reject) => {
    execFile('php', ['-r', `${boot} ${code}`], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`site PHP failed: ${stderr.slice(0, 2_000) || error.message}`));
      try { resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T); } catch { reject(new Error(`site PHP printed no JSON: ${stdout.slice(0, 500)}`)); }
    });
  });
}

function mailsToAlerts(): Mail[] {
  if (!existsSync(MAIL_LOG)) return [];
  return readFileSync(MAIL_LOG, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Mail).filter((mail) => mail.to === ALERT_EMAIL);
}

/** The poll as the scheduled job runs it, in its own PHP process. */
function pollOnce(): Promise<{ status: string; alerts: number; mailed: string[] }> {
  return sitePhp("echo wp_json_encode( $GLOBALS['shelfguard']->get( 'alert_poller' )->poll() ), \"\\n\";");
}

/**
 * A minute has passed for the poll: its WP-Cron event is due now. Other requests of the run (and
 * of the suite before it) spawn WP-Cron too, so without this the poll may have run seconds ago
 * and the next one be a minute away.
 */
async function pollDueNow(): Promise<void> {
  await sitePhp("$h = \\Shelfguard\\Alerts\\AlertPoller::HOOK; wp_clear_scheduled_hook( $h ); wp_schedule_event( time() - 1, 'shelfguard_minute', $h ); echo '{}', \"\\n\";");
}

/** What the admin notices print for the site's administrator. */
async function noticesHtml(): Promise<string> {
  const answer = await sitePhp<{ html: string }>("wp_set_current_user( get_user_by( 'login', 'admin' )->ID ); require_once ABSPATH . 'wp-admin/includes/screen.php'; require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php'; set_current_screen( 'dashboard' ); ob_start(); do_action( 'admin_notices' ); echo wp_json_encode( array( 'html' => ob_get_clean() ) ), \"\\n\";");
  return answer.html;
}

let daemon: TestDaemon;

async function daemonPost(path: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${daemon.daemon.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${daemon.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  return { status: response.status, json: await response.json().catch(() => null) };
}

describe('seller-standing alerts from the daemon in WordPress', () => {
  beforeAll(async () => {
    if (!WP_DIR || !(await siteAnswers())) throw new Error('no test site: run tests/lanes/35-e2e.sh, which installs and serves it');
    daemon = await startTestDaemon('sqlite', { logLevel: 'warn' });
    await seedSellerCancellations(daemon.daemon, ALERTING_CHANNELS, Date.now());
    await wp('configure', { daemon_url: daemon.daemon.url }, daemon.secret);
    rmSync(MAIL_LOG, { force: true });
    writeFileSync(MAIL_CAPTURE, `<?php
// Written by tests/e2e/alerts.e2e.ts for its run and removed after it: wp_mail is recorded, not sent.
add_filter( 'pre_wp_mail', static function ( $result, $atts ) {
	file_put_contents( ${JSON.stringify(MAIL_LOG)}, wp_json_encode( array( 'to' => $atts['to'], 'subject' => $atts['subject'], 'message' => $atts['message'] ) ) . "\\n", FILE_APPEND | LOCK_EX );
	return true;
}, 20, 2 );
`);
    // The admin token arrives by environment, never on a command line.
    await sitePhp(`$s = $GLOBALS['shelfguard']->get( 'settings' ); $t = $s->set_admin_token( getenv( 'SHELFGUARD_E2E_ADMIN_TOKEN' ) ); $e = $s->set_alert_email( '${ALERT_EMAIL}' );
      foreach ( array( 'shelfguard_alerts', 'shelfguard_alerts_mailed', 'shelfguard_alerts_lock' ) as $o ) { delete_option( $o ); }
      echo wp_json_encode( array( 'ok' => true === $t && true === $e ) ), "\\n";`, { SHELFGUARD_E2E_ADMIN_TOKEN: daemon.adminToken });
  }, 120_000);

  afterAll(async () => {
    rmSync(MAIL_CAPTURE, { force: true });
    rmSync(MAIL_LOG, { force: true });
    await sitePhp("foreach ( array( 'shelfguard_alerts', 'shelfguard_alerts_mailed', 'shelfguard_alerts_lock', 'shelfguard_alert_email', 'shelfguard_admin_token' ) as $o ) { delete_option( $o ); } echo '{}', \"\\n\";").catch(() => undefined);
    await daemon?.stop();
  });

  test('an alert the daemon raises becomes an admin notice and one e-mail, and later polls send nothing again', async () => {
    const check = await daemonPost('/v1/admin/metrics/check');
    expect(check.status).toBe(200);
    const raised: Array<{ id: string; channel: string; message: string }> = check.json.alerts;
    expect(raised.map((alert) => alert.channel).sort()).toEqual([...ALERTING_CHANNELS].sort());

    const startedMs = Date.now();
    await pollDueNow();
    expect(await wpCron()).toBe(200);
    const mails = mailsToAlerts();
    expect(mails).toHaveLength(raised.length);
    for (const alert of raised) {
      expect(mails.filter((mail) => mail.message.includes(alert.message))).toHaveLength(1);
    }
    const html = await noticesHtml();
    for (const alert of raised) expect(html).toContain(`data-alert-id="${alert.id}"`);
    process.stdout.write(`alerts: ${raised.length} raised → notices and e-mails after one WP-Cron run in ${Date.now() - startedMs} ms\n`);

    for (let poll = 0; poll < 3; poll += 1) expect((await pollOnce()).mailed).toEqual([]);
    await pollDueNow();
    expect(await wpCron()).toBe(200);
    expect(mailsToAlerts()).toHaveLength(raised.length);
  });

  test('an alert acknowledged at the daemon leaves the notices at the next poll and is not mailed again', async () => {
    const open = await daemon.admin('/v1/admin/metrics/alerts?unacknowledged=1');
    const [first, second] = open.json.alerts as Array<{ id: string }>;
    expect((await daemonPost(`/v1/admin/metrics/alerts/${first!.id}/acknowledge`)).status).toBe(200);
    const poll = await pollOnce();
    expect(poll).toMatchObject({ status: 'ok', alerts: 1, mailed: [] });
    const html = await noticesHtml();
    expect(html).not.toContain(`data-alert-id="${first!.id}"`);
    expect(html).toContain(`data-alert-id="${second!.id}"`);
    expect(html).not.toContain(daemon.adminToken);
  });
});
