// Labelled form controls: every input has a <label>, hints and errors are tied to it with
// aria-describedby, and an error sets aria-invalid.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface Common {
  label: string;
  hint?: string;
  error?: string | null;
  required?: boolean;
  disabled?: boolean;
  name?: string;
}

function describedBy(id: string, hint?: string, error?: string | null): string | undefined {
  return [hint && `${id}-hint`, error && `${id}-err`].filter(Boolean).join(' ') || undefined;
}

function Extra({ id, hint, error }: { id: string; hint?: string; error?: string | null }) {
  return (
    <>
      {hint && (
        <div class="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <div class="err" id={`${id}-err`}>
          {error}
        </div>
      )}
    </>
  );
}

export function TextField({
  label,
  hint,
  error,
  value,
  onValue,
  type = 'text',
  required,
  disabled,
  name,
  placeholder,
  autoComplete,
  inputMode,
}: Common & {
  value: string;
  onValue: (v: string) => void;
  type?: 'text' | 'password' | 'search' | 'number' | 'email';
  placeholder?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        // preact's input types are a union keyed on `type`; these five share one shape.
        type={type as 'text'}
        value={value}
        required={required}
        disabled={disabled}
        placeholder={placeholder}
        autocomplete={autoComplete}
        inputMode={inputMode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
      <Extra id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextArea({ label, hint, error, value, onValue, required, disabled, rows = 3 }: Common & { value: string; onValue: (v: string) => void; rows?: number }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        required={required}
        disabled={disabled}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
      <Extra id={id} hint={hint} error={error} />
    </div>
  );
}

export function SelectField<V extends string>({
  label,
  hint,
  error,
  value,
  onValue,
  options,
  required,
  disabled,
}: Common & { value: V; onValue: (v: V) => void; options: readonly { value: V; label: string }[] }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        required={required}
        disabled={disabled}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onValue(e.currentTarget.value as V)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Extra id={id} hint={hint} error={error} />
    </div>
  );
}

export function Checkbox({ label, checked, onValue, disabled, hint }: { label: string; checked: boolean; onValue: (v: boolean) => void; disabled?: boolean; hint?: string }) {
  const id = useId();
  return (
    <div class="field">
      <label class="check" for={id}>
        <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onValue(e.currentTarget.checked)} />
        {label}
      </label>
      {hint && (
        <div class="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}

/** A group of checkboxes for a set of values, as one fieldset. */
export function CheckboxGroup<V extends string>({
  legend,
  options,
  selected,
  onValue,
  error,
}: {
  legend: string;
  options: readonly { value: V; label: ComponentChildren }[];
  selected: readonly V[];
  onValue: (v: V[]) => void;
  error?: string | null;
}) {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-err` : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} class="check">
          <input
            type="checkbox"
            checked={selected.includes(o.value)}
            onChange={(e) => onValue(e.currentTarget.checked ? [...selected, o.value] : selected.filter((v) => v !== o.value))}
          />
          {o.label}
        </label>
      ))}
      {error && (
        <div class="err" id={`${id}-err`}>
          {error}
        </div>
      )}
    </fieldset>
  );
}
