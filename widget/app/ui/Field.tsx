/** A labelled form control with its error message wired up for screen readers. */
import type { ComponentChildren } from 'preact';

interface FieldProps {
  name: string;
  label: string;
  error?: string | undefined;
  required?: boolean;
  type?: 'text' | 'email' | 'textarea' | 'select';
  value: string;
  onInput: (name: string, value: string) => void;
  options?: { value: string; label: string }[];
  placeholder?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  maxLength?: number;
}

export function Field(props: FieldProps) {
  const id = `f-${props.name}`;
  const common = {
    id,
    name: props.name,
    required: props.required,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': props.error ? `${id}-err` : undefined,
    value: props.value,
    onInput: (event: Event) => props.onInput(props.name, (event.currentTarget as HTMLInputElement).value),
    ...(props.autoFocus && { 'data-autofocus': '' }),
  };
  let control: ComponentChildren;
  if (props.type === 'select') {
    control = (
      <select {...common}>
        <option value="">{props.placeholder}</option>
        {props.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (props.type === 'textarea') {
    control = <textarea {...common} rows={4} maxLength={props.maxLength} />;
  } else {
    control = <input {...common} type={props.type ?? 'text'} autoComplete={props.autoComplete} maxLength={props.maxLength} />;
  }
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      {props.error && (
        <p class="err" id={`${id}-err`}>
          {props.error}
        </p>
      )}
    </div>
  );
}
