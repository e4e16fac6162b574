// `npm run bench`: every benchmark, a table, and last the one JSON line of figures.
import { printReport, type Figure } from './report.ts';
import { benchAnchoring } from './anchoring.ts';
import { benchHeAggregate } from './he-aggregate.ts';
import { benchStart } from './start.ts';

const figures: Figure[] = [];
figures.push(...(await benchStart()));
figures.push(...(await benchHeAggregate()));
figures.push(...(await benchAnchoring()));
printReport(figures);
