// Small shared pieces: data loading, problem display, the "not available yet" state and
// labelled form fields in the GOV.UK Design System's markup.
import { Fragment, type ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';

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

/** Shows an API problem clearly: what went wrong, what to do, and the id to quote. */
export function Problem({ error, what }: { error: ApiError; what?: string }) {
  if (error.notAvailable && what) return <NotAvailable what={what} />;
  return (
    <div class="govuk-error-summary" tabIndex={-1} data-testid="problem">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{error.title}</h2>
        <div class="govuk-error-summary__body">
          <p class="govuk-body">{error.detail}</p>
          {error.requestId && <p class="govuk-body-s govuk-!-margin-bottom-0">Reference: {error.requestId}</p>}
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

/** An error summary at the top of a form, focused when it appears, linking to the field. */
export function FormError({ error, idPrefix }: { error: ApiError | undefined; idPrefix: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const fieldId = error.field ? `${idPrefix}-${error.field.replace(/[^a-z0-9_-]/gi, '_')}` : undefined;
  return (
    <div class="govuk-error-summary" ref={ref} tabIndex={-1} data-testid="form-error">
      <div role="alert">
        <h2 class="govuk-error-summary__title">{error.title}</h2>
        <div class="govuk-error-summary__body">
          <ul class="govuk-list govuk-error-summary__list">
            <li>{fieldId ? <a href={`#${fieldId}`} onClick={(e) => { e.preventDefault(); document.getElementById(fieldId)?.focus(); }}>{error.detail}</a> : error.detail}</li>
          </ul>
          {error.requestId && <p class="govuk-body-s govuk-!-margin-bottom-0">Reference: {error.requestId}</p>}
        </div>
      </div>
    </div>
  );
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

export function TextField(p: FieldProps) {
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

export function TextArea(p: FieldProps & { rows?: number }) {
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

export function SelectField(p: Omit<FieldProps, 'type'> & { options: [string, string][]; emptyLabel?: string }) {
  return (
    <div class={`govuk-form-group${p.error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label" for={p.id}>
        {p.label}
      </label>
      <Described id={p.id} hint={p.hint} error={p.error} />
      <select
        class="govuk-select"
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
export function Radios({ id, legend, hint, error, value, onInput, options, small }: {
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  value: string;
  onInput: (v: string) => void;
  options: RadioOption[];
  small?: boolean;
}) {
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        <Described id={id} hint={hint} error={error} />
        <div class={`govuk-radios${small ? ' govuk-radios--small' : ''}`} id={id}>
          {options.map((o) => {
            const optionId = `${id}-${o.value || 'unchanged'}`;
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
