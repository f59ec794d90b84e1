/**
 * A one-node Slurm cluster for the suite, from Debian's slurm-wlm and munge, as root: munged runs as
 * the munge user with its own key and socket, slurmctld and slurmd are started directly (no systemd)
 * with linuxproc process tracking and no task plugin (no cgroups in a container), and every file lives
 * in one temporary folder. `stop()` ends the daemons and removes the folder.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

export const SLURM_INSTALL = 'apt-get install -y slurm-wlm munge';

export interface SlurmCluster {
  dir: string;
  /** Environment for sbatch, squeue, scontrol: SLURM_CONF points at this cluster. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end, capturing its output. */
export function runProgram(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Fails (never skips) when Slurm, munge or root are missing, with what to do. */
export function requireSlurm(): void {
  const missing = ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/sbin/munged'].filter(
    (p) => !existsSync(p),
  );
  assert.deepEqual(
    missing,
    [],
    `Slurm is not installed (${missing.join(', ')} missing): ${SLURM_INSTALL} (.ci/run does)`,
  );
  assert.equal(
    process.getuid?.(),
    0,
    'the Slurm test starts munged, slurmctld and slurmd, which needs root (as in CI)',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Checks `ready` every 100 ms until it holds; fails with `what` and the logs when `limitMs` passes. */
export async function until(
  ready: () => boolean | Promise<boolean>,
  what: string,
  logs: () => string,
  limitMs = 60_000,
) {
  const end = Date.now() + limitMs;
  while (!(await ready())) {
    if (Date.now() > end) assert.fail(`${what} did not happen within ${limitMs / 1000} s:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('close', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Submits a batch script and waits for the whole job (every array task) to leave the queue; fails with
 * the job's record unless every task COMPLETED. Returns the job id. (Polls squeue itself: `sbatch
 * --wait` sleeps ever longer between its checks, which would add tens of seconds.)
 */
export async function submitAndWait(
  args: string[],
  /** The submitting environment: the cluster's (SLURM_CONF), plus what the job needs. */
  env: NodeJS.ProcessEnv,
  logs: () => string,
) {
  const r = await runProgram('sbatch', ['--parsable', ...args], env);
  assert.equal(r.code, 0, `sbatch failed:\n${r.stdout}${r.stderr}`);
  const job = r.stdout.trim().split(';')[0];
  await until(
    async () => (await runProgram('squeue', ['-h', '-j', job, '-o', '%i'], env)).stdout.trim() === '',
    `job ${job} finishing`,
    logs,
    300_000,
  );
  const record = (await runProgram('scontrol', ['show', 'job', job], env)).stdout;
  const states = [...record.matchAll(/JobState=(\w+)/g)].map((m) => m[1]);
  assert.ok(
    states.length > 0 && states.every((s) => s === 'COMPLETED'),
    `job ${job}: ${states.join(', ')}\n${record}\n${logs()}`,
  );
  return job;
}

export async function startSlurm(): Promise<SlurmCluster> {
  requireSlurm();
  const dir = mkdtempSync(join(tmpdir(), 'fs-slurm-'));
  chmodSync(dir, 0o755);
  const children: ChildProcess[] = [];
  const readLog = (f: string) =>
    existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').slice(-3000) : '';
  const logs = () =>
    ['munged.log', 'slurmctld.log', 'slurmd.log'].map((f) => `--- ${f}\n${readLog(f)}`).join('\n');
  const stop = async () => {
    // slurmd, slurmctld, then munged.
    for (const c of [...children].reverse()) await stopChild(c);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // munge: a fresh key, readable only by the munge user; munged as that user, its socket here.
    const munge = join(dir, 'munge');
    mkdirSync(munge, { mode: 0o711 });
    const uid = Number(execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'munge'], { encoding: 'utf8' }).trim());
    chownSync(munge, uid, gid);
    const key = join(munge, 'munge.key');
    writeFileSync(key, randomBytes(1024), { mode: 0o400 });
    chownSync(key, uid, gid);
    const socket = join(munge, 'munge.socket');
    const pidFile = join(munge, 'munged.pid');
    const munged = spawn(
      'munged',
      [
        '--foreground',
        '--force',
        `--socket=${socket}`,
        `--key-file=${key}`,
        `--log-file=${join(dir, 'munged.log')}`,
        `--pid-file=${pidFile}`,
        `--seed-file=${join(munge, 'munged.seed')}`,
      ],
      { stdio: 'ignore', uid, gid },
    );
    children.push(munged);
    await until(() => existsSync(socket) && existsSync(pidFile), 'munged start', logs);

    const [ctldPort, dPort] = [await freePort(), await freePort()];
    const host = hostname().split('.')[0];
    const conf = join(dir, 'slurm.conf');
    for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
    writeFileSync(
      conf,
      [
        'ClusterName=featscope-test',
        `SlurmctldHost=${host}(127.0.0.1)`,
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${dPort}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        'AuthType=auth/munge',
        'CredType=cred/munge',
        `AuthInfo=socket=${socket}`,
        `StateSaveLocation=${join(dir, 'state')}`,
        `SlurmdSpoolDir=${join(dir, 'spool')}`,
        `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
        `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
        `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
        `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_Core',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        'MpiDefault=none',
        'MailProg=/bin/true',
        'ReturnToService=2',
        // Four CPUs whatever the machine has (config_overrides), so a 4-task array runs in one round.
        'SlurmdParameters=config_overrides',
        `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${Math.max(4, cpus().length)} State=UNKNOWN`,
        'PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
        '',
      ].join('\n'),
    );
    const env = { ...process.env, SLURM_CONF: conf };
    for (const daemon of ['slurmctld', 'slurmd']) {
      const args = daemon === 'slurmctld' ? ['-D', '-i', '-f', conf] : ['-D', '-f', conf];
      children.push(spawn(daemon, args, { env, stdio: 'ignore' }));
    }
    await until(
      async () => (await runProgram('sinfo', ['-h', '-o', '%T'], env)).stdout.trim() === 'idle',
      'the node becoming idle',
      logs,
    );
    return { dir, env, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
