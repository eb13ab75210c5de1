export { main } from './main.js';
export type { Io } from './main.js';
export { exitCodes } from './exit-codes.js';
