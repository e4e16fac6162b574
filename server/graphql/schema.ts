import { builder } from './builder.ts';
import './errors.ts';
import './participants.ts';

export const schema = builder.toSchema({ sortSchema: true });
