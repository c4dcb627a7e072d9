/**
 * Prefixed, time-ordered identifiers (`mv_01J…`): sortable by creation, unique without a
 * database round trip. Within one millisecond the random part counts up, so ids minted by one
 * process sort in the order they were minted.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;

let lastTimeMs = -1;
let lastRandom: number[] = [];

function encodeTime(timeMs: number): string {
  let value = timeMs;
  let out = '';
  for (let index = 0; index < TIME_LENGTH; index += 1) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

function freshRandom(): number[] {
  return [...randomBytes(RANDOM_LENGTH)].map((byte) => byte % 32);
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let index = next.length - 1; index >= 0; index -= 1) {
    if (next[index]! < 31) {
      next[index] = next[index]! + 1;
      return next;
    }
    next[index] = 0;
  }
  return freshRandom();
}

export function newId(prefix: string, nowMs: number = Date.now()): string {
  if (nowMs <= lastTimeMs) {
    lastRandom = increment(lastRandom);
  } else {
    lastTimeMs = nowMs;
    lastRandom = freshRandom();
  }
  return `${prefix}_${encodeTime(lastTimeMs)}${lastRandom.map((digit) => ALPHABET[digit]).join('')}`;
}
