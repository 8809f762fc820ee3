/**
 * The node flags every Switchyard service process runs with, however it is started:
 * `switchyard up` (services/cli), the image (deploy/entrypoint.sh, which repeats them in shell;
 * test/deploy keeps the two equal) and the benchmarks that start built services.
 *
 * `--max-semi-space-size=32`: on 64-bit, V8's young generation is two semi-spaces of 16 MiB by
 * default. A worker or gateway with tens to hundreds of jobs in flight allocates ≈ 120 KiB per
 * job, and a job's objects live as long as its call: with 16 MiB a scavenge comes every ≈ 130
 * jobs, finds the objects of the jobs still in flight alive, copies them and promotes them to
 * the old generation, which the mark-compact collector must then clear. With 32 MiB most of a
 * job's objects die young. Measured in docs/benchmarks.md ("A larger young generation"): 12–17 %
 * more jobs per second through one worker, for up to 32 MiB more RSS under load and up to 8 MiB
 * once idle (the space grows on demand and shrinks when idle).
 *
 * `--heap-growing-percent=50`: after each full (mark-compact) collection V8 lets the old
 * generation grow to a multiple of what survived before the next one; the multiple is 1.1 to 4,
 * chosen from how fast collection is against allocation, and with thousands of jobs in flight
 * (a batch drain) it chose the top: from 133 MiB alive the worker grew to 400 MiB of heap without
 * another full collection. 50 fixes the multiple at 1.5. Measured in docs/benchmarks.md ("The
 * old generation's growth"): worker peak RSS in the 10,000-job drain 527–578 → 357–402 MiB with
 * no worker CPU per job the drain or the worker A/B could tell apart.
 */
export const serviceNodeFlags: readonly string[] = [
  '--max-semi-space-size=32',
  '--heap-growing-percent=50',
];
