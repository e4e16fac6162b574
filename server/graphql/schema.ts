import { builder } from './builder.ts';
import './errors.ts';
import './participants.ts';
import './anchoring.ts';
import './catalog.ts';
import './rights.ts';

export const schema = builder.toSchema({ sortSchema: true });
