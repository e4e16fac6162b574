// The seeded operator and regulator keys exist only in the starting process until they are
// saved, so they are handed over before the seed commits: a seed whose keys could not be saved
// does not happen, and the next start seeds again.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/client.ts';
import { participants } from '../../server/db/schema.ts';
import { authenticateApiKey } from '../../server/domain/participants/authenticate-api-key.ts';
import { seedSystemParticipants, type SeededKey } from '../../server/domain/participants/seed-system-participants.ts';

const OPERATOR = '0x000000000000000000000000000000000000dEaD';

describe('seeding the system participants', () => {
  it('hands the keys over before the commit; a failure there seeds nothing, and the next start seeds again', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    try {
      const { db } = database;
      await expect(
        seedSystemParticipants({ db, operatorAddress: OPERATOR, includeDemo: false, beforeCommit: () => { throw new Error('disk full'); } }),
      ).rejects.toThrow('disk full');
      expect(await db.select().from(participants)).toEqual([]);

      let saved: SeededKey[] = [];
      const keys = await seedSystemParticipants({ db, operatorAddress: OPERATOR, includeDemo: false, beforeCommit: (k) => (saved = k) });
      expect(keys.length).toBeGreaterThanOrEqual(2);
      expect(saved).toEqual(keys);
      for (const key of saved) expect((await authenticateApiKey({ db, token: key.token })).participantId).toBe(key.participantId);
      // Seeded once: a later start finds the seed and hands over nothing.
      expect(await seedSystemParticipants({ db, operatorAddress: OPERATOR, includeDemo: false, beforeCommit: () => { throw new Error('not called'); } })).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
