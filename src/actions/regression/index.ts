import { runAction } from '../shared/run.js';
import { run } from './main.js';

await runAction(run, 'GUNW regression');
