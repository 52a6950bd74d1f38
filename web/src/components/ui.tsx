// Small shared pieces: data loading, problem display, the "not available yet" state and
// labelled form fields in the GOV.UK Design System's markup.
import { createContext, Fragment, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { SessionContext } from '../session';

export interface Async<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  set: (v: T) => void;
}

/** Loads `fn()` when `deps` change; `reload()` fetches again without blanking the view. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const n = ++latest.current;
    setLoading(true);
    fn().then(
      (v) => {
        if (n !== latest.current) return;
        setData(v);
        setError(undefined);
        setLoading(false);
      },
      (e) => {
        if (n !== latest.current) return;
        setError(e instanceof ApiError ? e : new ApiError({ status: 0, title: 'Something went wrong', detail: String(e), code: 'client' }));
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, set: setData };
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="govuk-body kith-loading" role="status">
      Loading {what}…
    </p>
  );
}

export function NotAvailable({ what }: { what: string }) {
  return (
    <div class="govuk-inset-text" data-testid="not-available">
      <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{what} is not available yet</p>
      <p class="govuk-body govuk-!-margin-bottom-0">
        This part of Kith is still being switched on for your area. Everything else keeps working; try again later.
      </p>
    </div>
  );
}

/**
 * Shows an API problem clearly: what went wrong, what to do, and, for staff, the id to quote.
 * A family member never sees a reference number (as in FormError).
 */
export function Problem({ error, what }: { error: ApiError; what?: string }) {
  const session = useContext(SessionContext);
  if (error.notAvailable && what) return <NotAvailable what={what} />;
  const reference = session?.session.user.role !== 'family' ? error.requestId : undefined;
  return (
    <div class="govuk-error-summary" tabIndex={-1} data-testid="problem">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{error.title}</h2>
        <div class="govuk-error-summary__body">
          <p class="govuk-body">{error.detail}</p>
          {reference && <p class="govuk-body-s govuk-!-margin-bottom-0">Reference: {reference}</p>}
        </div>
      </div>
    </div>
  );
}

/** Renders loading / problem / not-available states, or the children with the data. */
export function Loaded<T>({ state, what, children }: { state: Async<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (state.error && !state.data) return <Problem error={state.error} what={what} />;
  if (state.data === undefined) return <Loading what={what.toLowerCase()} />;
  return <>{children(state.data)}</>;
}

/** The id of the input a field's error links to: `${idPrefix}-${field}` ("flags.x" → "flags_x"). */
export function fieldId(idPrefix: string, field: string): string {
  return `${idPrefix}-${field.replace(/[^a-z0-9_-]/gi, '_')}`;
}

/** A form's problems: the client's own checks (field → message) and the server's answer. */
interface Problems {
  idPrefix: string;
  errors: Record<string, string>;
  error: ApiError | undefined;
}

const ProblemsContext = createContext<Problems | null>(null);

/** The message for the field with this input id, from the form's problems, if any. */
function useFieldError(id: string, own: string | undefined): string | undefined {
  const problems = useContext(ProblemsContext);
  if (own !== undefined || !problems) return own;
  for (const [field, message] of Object.entries(problems.errors)) {
    if (fieldId(problems.idPrefix, field) === id) return message;
  }
  const e = problems.error;
  if (e?.field && fieldId(problems.idPrefix, e.field) === id) return e.detail;
  return undefined;
}

/**
 * The GOV.UK error summary: "There is a problem", then each problem as a link to its field,
 * focused when it appears. A reference number is shown only for a failure of Kith itself (5xx or
 * no answer), never to a family member.
 */
export function FormError({ error, idPrefix, errors = {} }: { error: ApiError | undefined; idPrefix: string; errors?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  const session = useContext(SessionContext);
  const items = [
    ...Object.entries(errors).map(([field, message]) => ({ field, message })),
    ...(error ? [{ field: error.field, message: error.detail || error.title }] : []),
  ];
  const shown = items.map((i) => i.message).join('|');
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown]);
  if (items.length === 0) return null;
  const technical = !!error && (error.status >= 500 || error.status === 0);
  const reference = technical && session?.session.user.role !== 'family' ? error?.requestId : undefined;
  return (
    <div class="govuk-error-summary" ref={ref} tabIndex={-1} data-testid="form-error">
      <div role="alert">
        <h2 class="govuk-error-summary__title">There is a problem</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            {items.map((i) => {
              const target = i.field ? fieldId(idPrefix, i.field) : undefined;
              return (
                <li key={`${i.field}-${i.message}`}>
                  {target ? (
                    <a href={`#${target}`} onClick={(e) => { e.preventDefault(); document.getElementById(target)?.focus(); }}>{i.message}</a>
                  ) : (
                    i.message
                  )}
                </li>
              );
            })}
          </ul>
          {reference && <p class="govuk-body-s govuk-!-margin-bottom-0">If this keeps happening, tell your Kith administrator the reference {reference}.</p>}
        </div>
      </div>
    </div>
  );
}

/** A form's error summary and the field-level messages of every field inside it. */
export function FormErrors({ error, errors = {}, idPrefix, children }: {
  error: ApiError | undefined;
  errors?: Record<string, string>;
  idPrefix: string;
  children: ComponentChildren;
}) {
  return (
    <ProblemsContext.Provider value={{ idPrefix, errors, error }}>
      <FormError error={error} errors={errors} idPrefix={idPrefix} />
      {children}
    </ProblemsContext.Provider>
  );
}

/** The client's checks, GOV.UK style: [field, message when it fails]; the first per field wins. */
export function check(checks: [string, string | false | null | undefined | 0 | ''][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of checks) {
    if (message && !(field in out)) out[field] = message;
  }
  return out;
}

/**
 * What is wrong with a reason as the API checks it (10 to 500 characters, recorded in the audit
 * trail), or undefined. `missing` is the form's own words for an empty one ("Enter why ...").
 */
export function reasonProblem(reason: string, missing: string): string | undefined {
  const r = reason.trim();
  if (!r) return missing;
  if (r.length < 10) return 'Your reason must be at least 10 characters';
  if (r.length > 500) return 'Your reason must be 500 characters or fewer';
  if (/[\r\n]/.test(r)) return 'Write your reason without line breaks';
  if (/[\u0000-\u001f]/.test(r)) return 'Your reason must be plain text, without special characters';
  return undefined;
}

/** A form's problems: set `errors` from `check(...)` before sending, `error` from the answer. */
export function useProblems() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  return {
    errors,
    error,
    /** Records the checks' failures; true when there are none (then it is safe to send). */
    passes(found: Record<string, string>): boolean {
      setErrors(found);
      setError(undefined);
      return Object.keys(found).length === 0;
    },
    /**
     * Records the server's answer. `fields` renames the API's field names to the form's where they
     * differ (the search's "given_name" is the form's "given_names"), so the answer marks the field.
     */
    fail(e: unknown, fields: Record<string, string> = {}) {
      if (!(e instanceof ApiError)) {
        setError(new ApiError({ status: 0, title: 'There is a problem', detail: String(e), code: 'client' }));
        return;
      }
      const field = e.field !== undefined ? fields[e.field] : undefined;
      setError(field === undefined ? e : new ApiError({ status: e.status, title: e.title, detail: e.detail, code: e.code, field, instance: e.instance }));
    },
    clear() {
      setErrors({});
      setError(undefined);
    },
  };
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onInput: (v: string) => void;
  required?: boolean;
  autocomplete?: string;
  type?: string;
  width?: string;
  inputMode?: string;
  maxLength?: number;
  minLength?: number;
  spellcheck?: boolean;
}

function Described({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <div id={`${id}-hint`} class="govuk-hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} class="govuk-error-message">
          <span class="govuk-visually-hidden">Error:</span> {error}
        </p>
      )}
    </>
  );
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

export function TextField(props: FieldProps) {
  const p = { ...props, error: useFieldError(props.id, props.error) };
  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label" for={p.id}>
        {p.label}
      </label>
      <Described id={p.id} hint={p.hint} error={p.error} />
      <input
        class={`govuk-input${p.width ? ' govuk-input--width-' + p.width : ''}${p.error ? ' govuk-input--error' : ''}`}
        id={p.id}
        name={p.id}
        type={(p.type ?? "text") as any}
        value={p.value}
        required={p.required}
        autoComplete={p.autocomplete ?? 'off'}
        inputMode={p.inputMode as any}
        maxLength={p.maxLength}
        minLength={p.minLength}
        spellcheck={p.spellcheck}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        onInput={(e) => p.onInput((e.target as HTMLInputElement).value)}
      />
    </div>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  const p = { ...props, error: useFieldError(props.id, props.error) };
  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label" for={p.id}>
        {p.label}
      </label>
      <Described id={p.id} hint={p.hint} error={p.error} />
      <textarea
        class={`govuk-textarea${p.error ? ' govuk-textarea--error' : ''}`}
        id={p.id}
        name={p.id}
        rows={p.rows ?? 4}
        value={p.value}
        required={p.required}
        maxLength={p.maxLength}
        minLength={p.minLength}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        onInput={(e) => p.onInput((e.target as HTMLTextAreaElement).value)}
      />
    </div>
  );
}

export function SelectField(props: Omit<FieldProps, 'type'> & { options: [string, string][]; emptyLabel?: string }) {
  const p = { ...props, error: useFieldError(props.id, props.error) };
  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label" for={p.id}>
        {p.label}
      </label>
      <Described id={p.id} hint={p.hint} error={p.error} />
      <select
        class={`govuk-select${p.error ? ' govuk-select--error' : ''}`}
        id={p.id}
        name={p.id}
        value={p.value}
        required={p.required}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        onChange={(e) => p.onInput((e.target as HTMLSelectElement).value)}
      >
        {p.emptyLabel !== undefined && <option value="">{p.emptyLabel}</option>}
        {p.options.map(([v, l]) => (
          <option key={v} value={v} selected={v === p.value}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox({ id, label, checked, onChange, hint }: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string }) {
  return (
    <div class="govuk-checkboxes__item">
      <input
        class="govuk-checkboxes__input"
        id={id}
        name={id}
        type="checkbox"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange((e.target as HTMLInputElement).checked)}
      />
      <label class="govuk-label govuk-checkboxes__label" for={id}>
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} class="govuk-hint govuk-checkboxes__hint">
          {hint}
        </div>
      )}
    </div>
  );
}

export function Button({ children, busy, secondary, warning, type, onClick, testid }: {
  children: ComponentChildren;
  busy?: boolean;
  secondary?: boolean;
  warning?: boolean;
  type?: 'submit' | 'button';
  onClick?: () => void;
  testid?: string;
}) {
  return (
    <button
      type={type ?? 'submit'}
      class={`govuk-button${secondary ? ' govuk-button--secondary' : ''}${warning ? ' govuk-button--warning' : ''}`}
      aria-disabled={busy ? 'true' : undefined}
      data-testid={testid}
      onClick={(e) => {
        if (busy) {
          e.preventDefault();
          return;
        }
        onClick?.();
      }}
    >
      {children}
    </button>
  );
}

/** A table that may scroll sideways: keyboard-focusable and named, as WCAG asks of scroll regions. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="kith-table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/** A one-line success message announced to screen readers. */
export function Success({ children }: { children: ComponentChildren }) {
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role="status" data-testid="success">
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{children}</p>
      </div>
    </div>
  );
}

export function FlagTags({ flags, shielded, lead }: { flags: { early_help_assessment: boolean; child_protection_plan: boolean; looked_after: boolean }; shielded?: boolean; lead?: boolean }) {
  const tags: [string, string][] = [];
  if (flags.child_protection_plan) tags.push(['Child protection plan', 'govuk-tag--red']);
  if (flags.looked_after) tags.push(['Looked after', 'govuk-tag--purple']);
  if (flags.early_help_assessment) tags.push(['Early help assessment', 'govuk-tag--blue']);
  if (shielded) tags.push(['Shielded record', 'govuk-tag--grey']);
  if (lead) tags.push(['You are lead professional', 'govuk-tag--green']);
  if (tags.length === 0) return null;
  return (
    <div class="kith-tags">
      {tags.map(([t, c]) => (
        <strong key={t} class={`govuk-tag ${c}`}>
          {t}
        </strong>
      ))}
    </div>
  );
}

export function SignificanceTag({ value }: { value: string | null | undefined }) {
  if (!value || value === 'routine') return <strong class="govuk-tag govuk-tag--grey">Routine</strong>;
  if (value === 'serious') return <strong class="govuk-tag govuk-tag--serious">Serious</strong>;
  return <strong class="govuk-tag govuk-tag--notable">Notable</strong>;
}

export interface RadioOption {
  value: string;
  label: string;
  hint?: string;
  /** Shown under the option while it is chosen (GOV.UK conditional reveal). */
  conditional?: ComponentChildren;
}

/** GOV.UK radios in a fieldset with a legend, a hint and an error message. */
export function Radios({ id, legend, hint, error: own, value, onInput, options, small }: {
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  value: string;
  onInput: (v: string) => void;
  options: RadioOption[];
  small?: boolean;
}) {
  const error = useFieldError(id, own);
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <Described id={id} hint={hint} error={error} />
        <div class={`govuk-radios${small ? ' govuk-radios--small' : ''}`}>
          {options.map((o, i) => {
            // The first option carries the group's id: the error summary links to it.
            const optionId = i === 0 ? id : `${id}-${o.value || 'unchanged'}`;
            const checked = o.value === value;
            return (
              <Fragment key={o.value}>
                <div class="govuk-radios__item">
                  <input
                    class="govuk-radios__input"
                    id={optionId}
                    name={id}
                    type="radio"
                    value={o.value}
                    checked={checked}
                    aria-describedby={o.hint ? `${optionId}-hint` : undefined}
                    onChange={() => onInput(o.value)}
                  />
                  <label class="govuk-label govuk-radios__label" for={optionId}>
                    {o.label}
                  </label>
                  {o.hint && (
                    <div id={`${optionId}-hint`} class="govuk-hint govuk-radios__hint">
                      {o.hint}
                    </div>
                  )}
                </div>
                {o.conditional && checked && <div class="govuk-radios__conditional">{o.conditional}</div>}
              </Fragment>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** GOV.UK warning text: something the reader must know before they act. */
export function WarningText({ children, testid }: { children: ComponentChildren; testid?: string }) {
  return (
    <div class="govuk-warning-text" data-testid={testid}>
      <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  );
}

// --- Dates, as GOV.UK asks for them: day, month and year boxes -------------------------------

/** The parts of a date as typed. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/**
 * A date field's value: "YYYY-MM-DD" once the boxes hold a real date, "" when all are empty, and
 * otherwise the parts as typed ("2026-2-30", "-5-") so nothing typed is lost and the checks below
 * can say what is wrong.
 */
export function partsOf(value: string): DateParts {
  const m = /^(\d*)-(\d*)-(\d*)$/.exec(value);
  if (!m) return { day: '', month: '', year: '' };
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return { year: m[1], month: iso ? String(Number(m[2])) : m[2], day: iso ? String(Number(m[3])) : m[3] };
}

export function valueOf(p: DateParts): string {
  if (!p.day && !p.month && !p.year) return '';
  const d = Number(p.day), m = Number(p.month), y = Number(p.year);
  const real = /^\d{4}$/.test(p.year) && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  return real ? `${p.year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : `${p.year}-${p.month}-${p.day}`;
}

/** Today's UK date as "YYYY-MM-DD". */
function ukToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

/**
 * What is wrong with a date field's value, in GOV.UK's words, or undefined. `label` names the
 * date in a sentence ("the date of the event").
 */
export function dateProblem(value: string, label: string, opts: { required?: boolean; notFuture?: boolean; notPast?: boolean } = {}): string | undefined {
  const Label = label.charAt(0).toUpperCase() + label.slice(1);
  if (!value) return opts.required ? `Enter ${label}` : undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (opts.notFuture && value > ukToday()) return `${Label} must be today or in the past`;
    if (opts.notPast && value < ukToday()) return `${Label} must be today or in the future`;
    if (value < '1900-01-01') return `${Label} must be after 1899`;
    return undefined;
  }
  const p = partsOf(value);
  const missing = (['day', 'month', 'year'] as const).filter((k) => !p[k]);
  if (missing.length === 1) return `${Label} must include a ${missing[0]}`;
  if (missing.length === 2) return `${Label} must include a ${missing[0]} and a ${missing[1]}`;
  if (p.year.length !== 4) return 'Year must include 4 numbers';
  return `${Label} must be a real date`;
}

/** GOV.UK date input: day, month and year boxes in a fieldset. The day box carries `id`. */
export function DateField({ id, label, hint = 'For example, 27 3 2026', value, onInput, error: own, legendSize = 's' }: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onInput: (v: string) => void;
  error?: string;
  legendSize?: 's' | 'm';
}) {
  const error = useFieldError(id, own);
  const parts = partsOf(value);
  const set = (k: keyof DateParts) => (e: Event) => onInput(valueOf({ ...parts, [k]: (e.target as HTMLInputElement).value.replace(/\D/g, '') }));
  const box = (k: keyof DateParts, text: string, width: string, boxId: string, max: number) => (
    <div class="govuk-date-input__item">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for={boxId}>{text}</label>
        <input
          class={`govuk-input govuk-date-input__input govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`}
          id={boxId}
          name={boxId}
          type="text"
          inputMode="numeric"
          maxLength={max}
          value={parts[k]}
          onInput={set(k)}
        />
      </div>
    </div>
  );
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" role="group" aria-describedby={describedBy(id, hint, error)}>
        <legend class={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>{label}</legend>
        <Described id={id} hint={hint} error={error} />
        <div class="govuk-date-input" data-testid={`${id}-date`}>
          {box('day', 'Day', '2', id, 2)}
          {box('month', 'Month', '2', `${id}-month`, 2)}
          {box('year', 'Year', '4', `${id}-year`, 4)}
        </div>
      </fieldset>
    </div>
  );
}
