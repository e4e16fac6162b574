// `npm run bench`: every benchmark, a table, and last the one JSON line of figures.
import { printReport, type Figure } from './report.ts';
import { benchAnchoring } from './anchoring.ts';
import { benchAudit } from './audit.ts';
import { benchCatalog } from './catalog.ts';
import { benchClearing } from './clearing.ts';
import { benchCommitment } from './commitment.ts';
import { benchHeAggregate } from './he-aggregate.ts';
import { benchHeGroupQuery } from './he-group-query.ts';
import { benchHeQueries } from './he-queries.ts';
import { benchOrders } from './orders.ts';
import { benchStart } from './start.ts';
import { benchWeb } from './web.ts';
import { benchZkCompliance } from './zk-compliance.ts';

const figures: Figure[] = [];
figures.push(...(await benchStart()));
figures.push(...(await benchHeAggregate()));
figures.push(...(await benchHeQueries()));
figures.push(...(await benchHeGroupQuery()));
figures.push(...(await benchCatalog()));
figures.push(...(await benchAnchoring()));
figures.push(...(await benchOrders()));
figures.push(...(await benchClearing()));
figures.push(...(await benchAudit()));
figures.push(...(await benchWeb()));
figures.push(...(await benchZkCompliance()));
figures.push(...(await benchCommitment()));
printReport(figures);
