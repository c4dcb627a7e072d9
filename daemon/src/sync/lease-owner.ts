/**
 * Who holds an outbox lease, written so that a restarted daemon can prove a previous holder dead
 * and give its claims back at once instead of waiting out the lease (RELIABILITY B1).
 *
 * An owner id names the host (a hash of the kernel's boot id, the PID namespace and the host
 * name, so two containers sharing a host name but not a PID namespace never judge each other),
 * the process id, and the process's start time in clock ticks since boot (so a reused pid is not
 * mistaken for the old holder). A holder is provably dead only when all of these hold: the same
 * host tag as ours, and /proc shows no process with that pid, or one that started at another
 * time, or a zombie. Anything else (another host, no /proc, an unreadable entry, an id in another
 * format) is treated as alive: its lease runs out on its own, which is slower but never steals a
 * live worker's claim.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

const OWNER_PREFIX = 'sg1';
const HOST_TAG_CHARS = 12;

export interface ParsedOwner {
  hostTag: string;
  pid: number;
  startTicks: string;
}

/** Facts about this machine and its processes; injectable so the proofs can be tested. */
export interface ProcessTable {
  /** Undefined when this platform cannot tell (no /proc). */
  hostTag(): string | undefined;
  /** The process's start time and state, or null when no such process exists; undefined when it cannot be read. */
  stat(pid: number): { startTicks: string; state: string } | null | undefined;
}

export const procTable: ProcessTable = {
  hostTag() {
    try {
      const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const pidNamespace = readlinkSync('/proc/self/ns/pid');
      return createHash('sha256').update(`${bootId}\n${pidNamespace}\n${hostname()}`).digest('hex').slice(0, HOST_TAG_CHARS);
    } catch {
      return undefined;
    }
  },
  stat(pid) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined;
    }
    // "pid (comm) state ppid … starttime …": comm may hold spaces and parentheses, so fields are
    // counted after the last ')'; starttime is field 22 of the whole line, the 20th after it.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    const startTicks = fields[19];
    return state && startTicks ? { startTicks, state } : undefined;
  },
};

/** A fresh owner id for this process (≤ 64 characters, the column's width). */
export function leaseOwnerId(table: ProcessTable = procTable, pid = process.pid): string {
  const tag = table.hostTag();
  const stat = tag ? table.stat(pid) : undefined;
  const random = randomUUID().slice(0, 8);
  if (!tag || !stat) return `sync-${pid}-${random}`;
  return `${OWNER_PREFIX}.${tag}.${pid}.${stat.startTicks}.${random}`;
}

export function parseOwner(owner: string): ParsedOwner | undefined {
  const parts = owner.split('.');
  if (parts.length !== 5 || parts[0] !== OWNER_PREFIX) return undefined;
  const pid = Number(parts[2]);
  if (!/^[0-9a-f]+$/.test(parts[1]!) || !Number.isSafeInteger(pid) || pid <= 0 || !/^\d+$/.test(parts[3]!)) return undefined;
  return { hostTag: parts[1]!, pid, startTicks: parts[3]! };
}

/** True only when `owner` is provably a dead process of this same host (see the file comment). */
export function isProvablyDead(owner: string, table: ProcessTable = procTable): boolean {
  const parsed = parseOwner(owner);
  const tag = table.hostTag();
  if (!parsed || !tag || parsed.hostTag !== tag) return false;
  const stat = table.stat(parsed.pid);
  if (stat === undefined) return false;
  if (stat === null) return true;
  return stat.startTicks !== parsed.startTicks || stat.state === 'Z' || stat.state === 'X';
}
