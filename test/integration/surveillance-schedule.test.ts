// 市场风险预警 on a timer: the surveillance loop that `npm start` and `npm run worker` run every
// SURVEILLANCE_INTERVAL_MS raises an alert for a related-party trade without anyone asking, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deposit, placeOrder } from '../factories/market.ts';
import { listedDatasetOf, planOf, verifiedParticipant } from '../factories/participants.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const ALERTS = `{ alerts(rule: RELATED_PARTIES) { ... on QueryAlertsSuccess { data { id rule subjectId status evidence } } } }`;

describe.each(await databaseTargets())('scheduled market surveillance on %s', (database) => {
  let ex: TestExchange;
  let regulator: string;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    regulator = ex.keyOf('regulator');
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const scansLogged = async () => (await ex.gql(`{ auditLog(action: "surveillance.scanned") { ... on QueryAuditLogSuccess { data { seq } } } }`, {}, regulator)).data.auditLog.data.length as number;
  const relatedPartyAlerts = async () => (await ex.gql(ALERTS, {}, regulator)).data.alerts.data as { id: string; evidence: Record<string, unknown> }[];

  it('raises nothing while the market is clean, and writes nothing to the audit log then', async () => {
    const scan = await ex.built.services.surveillance.runOnce();
    expect(scan.raised).toEqual([]);
    expect(await relatedPartyAlerts()).toEqual([]);
    expect(await scansLogged()).toBe(0);
  });

  it('raises the alert for a trade between parties under one controller on its own timer, and only once', async () => {
    const seller = await verifiedParticipant(ex, { controllerCode: 'GROUP-HOLDING-SCHED' });
    const buyer = await verifiedParticipant(ex, { controllerCode: 'GROUP-HOLDING-SCHED' });
    const plan = await planOf(ex, seller.token, await listedDatasetOf(ex, seller), { priceFen: '1000' });
    await deposit(ex, buyer.token, 100_000n);
    expect((await placeOrder(ex, buyer.token, plan)).status).toBe('ACCEPTED');

    ex.built.services.surveillance.start(1000);
    try {
      await expect.poll(relatedPartyAlerts, { timeout: 60_000, interval: 250 }).toHaveLength(1);
    } finally {
      await ex.built.services.surveillance.stop();
    }
    const [alert] = await relatedPartyAlerts();
    expect(alert!.evidence).toMatchObject({ buyerId: buyer.rawId, providerId: seller.rawId });

    // The scan that raised it is in the audit log, by no one (the schedule).
    const log = await ex.gql(`{ auditLog(action: "surveillance.scanned") { ... on QueryAuditLogSuccess { data { actorId details } } } }`, {}, regulator);
    const scheduled = log.data.auditLog.data.filter((e: { details: { scheduled?: boolean; raised: string[] } }) => e.details.scheduled && e.details.raised.includes(alert!.id));
    expect(scheduled).toEqual([expect.objectContaining({ actorId: null })]);

    // Later scans find the same trade and raise nothing new.
    expect((await ex.built.services.surveillance.runOnce()).raised).toEqual([]);
    expect(await relatedPartyAlerts()).toHaveLength(1);
  });
});
