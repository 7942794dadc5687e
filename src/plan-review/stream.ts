/**
 * Reviewing a plan as it is read: each `resource_changes` entry is folded into the review
 * ({@link ReviewBuilder.change}) as soon as it is parsed and then dropped, and the state copies of
 * the resources only lend their sensitive values; so memory holds the review, not the plan.
 *
 * The one thing a stream cannot know early is every sensitive value: the plan marks them anywhere
 * (a variable is sensitive by its declaration in `configuration`, near the end). Each entry is
 * folded with the values known by then, and every text the redactor was asked about is kept (the
 * strings the review shows, before redaction). At the end, when a value learned later occurs in a
 * text asked about earlier, or the plan lists its drift after its changes (Terraform writes drift
 * first; drift decides with the planned values of the drifted resources), the plan is read again
 * whole and reviewed by {@link reviewPlan}: the result is always the review of the whole plan.
 */
import { isObject } from '../terraform-json/json';
import { PlanBytes, parsePlanBytes, streamPlanBytes } from '../terraform-json/plan-reader';
import { PlanResourceChange } from '../terraform-json/plan-types';
import { addressOf } from './actions';
import { MIRROR_MANAGER_TYPES } from './drift';
import { collectChangeSecrets, collectDocumentSecrets, PlanReview, ReviewBuilder, ReviewOptions, reviewPlan } from './review';
import { jsonSpellings, MIN_SUBSTRING_SECRET, Redactor } from './values';

/**
 * The review of plan bytes (as {@link parsePlanBytes} reads them), streamed when it can be (see
 * above), else from the whole plan; identical either way. Throws `PlanInputError` like
 * {@link parsePlanBytes} and {@link reviewPlan}.
 */
export function reviewPlanBytes(input: PlanBytes, source = 'input', options: ReviewOptions = {}): PlanReview {
  const streamed = reviewStreamed(input, source, options);
  if (streamed !== undefined) return streamed;
  const again = Buffer.isBuffer(input) ? input : { read: input.reread(), reread: input.reread, readAll: input.readAll };
  return reviewPlan(parsePlanBytes(again, source), options);
}

/** The streamed review, or undefined when only the whole plan can give it. */
function reviewStreamed(input: PlanBytes, source: string, options: ReviewOptions): PlanReview | undefined {
  const redactor = new Redactor();
  const builder = new ReviewBuilder(redactor, options);
  /** Entries drift reads again: those at a drifted address, and the managers of mirrored attributes. */
  const kept: PlanResourceChange[] = [];
  const scrubbed: string[] = [];
  /** Where in `scrubbed` the texts of each run of folds start, and how many secrets were known then. */
  const runStart: number[] = [];
  const runKnown: number[] = [];
  let driftAddresses: Set<string> | undefined;
  let changeLists = 0;
  let driftLists = 0;
  let driftAfterChanges = false;
  let foldError: unknown;
  const doc = streamPlanBytes(
    input,
    {
      changesStart() {
        changeLists += 1;
      },
      change(rc, i) {
        collectChangeSecrets(redactor, rc);
        if (foldError !== undefined) return;
        if (runKnown.length === 0 || runKnown[runKnown.length - 1] !== redactor.secretCount) {
          runStart.push(scrubbed.length);
          runKnown.push(redactor.secretCount);
        }
        redactor.scrubbed = scrubbed;
        try {
          builder.change(rc, i);
        } catch (err) {
          foldError = err;
          return;
        } finally {
          redactor.scrubbed = undefined;
        }
        // Drift is read before the changes (else the plan is read again), so nothing is kept without it.
        if (driftAddresses === undefined || driftAddresses.size === 0) return;
        if (driftAddresses.has(addressOf(rc).address) || (typeof rc.previous_address === 'string' && driftAddresses.has(rc.previous_address)) || MIRROR_MANAGER_TYPES.has(rc.type)) kept.push(rc);
      },
      drift(entries) {
        driftLists += 1;
        if (!Array.isArray(entries)) return;
        if (changeLists > 0 && entries.length > 0) driftAfterChanges = true;
        driftAddresses = new Set();
        for (const e of entries) {
          if (!isObject(e) || !isObject(e.change)) continue; // reported by checkPlan at the end
          const entry = e as unknown as PlanResourceChange;
          driftAddresses.add(addressOf(entry).address);
          collectChangeSecrets(redactor, entry);
        }
      },
      stateResource(r) {
        if (r.sensitive_values) redactor.collect(r.values, r.sensitive_values as never);
      },
    },
    source,
  );
  if (doc === undefined) return undefined;
  if (foldError !== undefined) throw foldError;
  // A member given twice: a parsed document keeps the last one only.
  if (driftAfterChanges || changeLists > 1 || driftLists > 1) return undefined;
  collectDocumentSecrets(redactor, doc);
  if (scrubbedTooEarly(scrubbed, runStart, runKnown, redactor.secretsLearned())) return undefined;
  return builder.finish({ ...doc, resource_changes: kept });
}

/**
 * Whether a text scrubbed while folding holds a secret learned only after it was scrubbed (as a
 * substring in any JSON spelling; short ones too, which the redactor matches only whole: one can
 * be a whole leaf inside a rendered value). Runs are checked from the last, so the late secrets
 * are indexed once.
 */
function scrubbedTooEarly(texts: readonly string[], runStart: readonly number[], runKnown: readonly number[], secrets: readonly string[]): boolean {
  const late = new Redactor();
  const short: string[] = [];
  let next = secrets.length;
  let end = texts.length;
  for (let run = runStart.length - 1; run >= 0; run--) {
    for (; next > runKnown[run]; next--) {
      const s = secrets[next - 1];
      late.addAll(s);
      if (s.length < MIN_SUBSTRING_SECRET) short.push(s, ...jsonSpellings(s));
    }
    if (next < secrets.length) {
      for (let t = runStart[run]; t < end; t++) {
        const text = texts[t];
        if (late.scrub(text) !== text || short.some((s) => text.includes(s))) return true;
      }
    }
    end = runStart[run];
  }
  return false;
}
