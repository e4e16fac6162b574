import { builder } from './builder.ts';
import './errors.ts';
import './participants.ts';
import './anchoring.ts';
import './catalog.ts';
import './rights.ts';
import './money.ts';
import './trading.ts';
import './clearing.ts';
import './crossborder.ts';
import './disputes.ts';
import './auctions.ts';
import './subscriptions.ts';
import './audit.ts';
import './filing.ts';
import './queries.ts';
import './regulator.ts';

export const schema = builder.toSchema({ sortSchema: true });
