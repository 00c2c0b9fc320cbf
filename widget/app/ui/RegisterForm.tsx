/**
 * The registration form: name, e-mail, department (when more than one is offered and the site did not choose),
 * the visible visitor custom fields with their rules, and the consent text. Trigger messages show above it.
 */
import { useRef, useState } from 'preact/hooks';
import { focusMain } from '../focus';
import type { Session } from '../session';
import type { State, Translate } from '../state';
import { Field } from './Field';
import { TriggerMessages } from './MessageList';
import { check, focusFirstError, type Rule } from './validate';

export function RegisterForm({ session, state, t }: { session: Session; state: State; t: Translate }) {
  const config = state.config!;
  const s = config.settings;
  const departments = config.departments.filter((d) => d.showOnRegistration);
  const askDepartment = departments.length > 1 && !state.department;
  const fields = config.customFields ?? [];
  const consentText = config.messages.dataProcessingConsentText;
  const [values, setValues] = useState<Record<string, string>>(() => ({
    name: state.guest.name ?? '',
    email: state.guest.email ?? '',
    department: '',
    ...Object.fromEntries(fields.map((f) => [`cf-${f._id}`, f.defaultValue ?? ''])),
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const onInput = (name: string, value: string): void => {
    setValues((v) => ({ ...v, [name]: value }));
    if (errors[name]) setErrors(({ [name]: _fixed, ...rest }) => rest); // re-checked on submit
  };

  const rules: Rule[] = [
    ...(s.nameFieldRegistrationForm ? [{ name: 'name', required: true }] : []),
    ...(s.emailFieldRegistrationForm ? [{ name: 'email', required: true, email: true }] : []),
    ...fields.map((f) => ({ name: `cf-${f._id}`, required: !!f.required, ...(f.regexp && { pattern: f.regexp }) })),
    ...(s.forceAcceptDataProcessingConsent ? [{ name: 'consent', required: true }] : []),
  ];

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const found = check(values, rules, t);
    setErrors(found);
    if (Object.keys(found).length) return focusFirstError(form.current);
    setBusy(true);
    setFailed(false);
    for (const f of fields) {
      const value = values[`cf-${f._id}`]?.trim();
      if (value) session.fields.set(f._id, { value, overwrite: true });
    }
    const visitor = { name: values.name!.trim(), email: values.email!.trim(), department: values.department || state.department || '' };
    try {
      await session.register(visitor);
      session.hostCallback('pre-chat-form-submit', visitor);
      session.set({ screen: 'chat' });
      focusMain();
    } catch {
      setFailed(true);
      setBusy(false);
    }
  }

  let first = true;
  const autoFocus = (): boolean => {
    const now = first;
    first = false;
    return now;
  };
  return (
    <div class="body">
      <TriggerMessages state={state} t={t} />
      <form ref={form} class="stack" noValidate onSubmit={submit}>
        <p class="intro">{config.messages.registrationFormMessage || t('registerIntro')}</p>
        {s.nameFieldRegistrationForm && <Field name="name" label={t('name')} required autoComplete="name" autoFocus={autoFocus()} value={values.name!} onInput={onInput} error={errors.name} />}
        {s.emailFieldRegistrationForm && (
          <Field name="email" type="email" label={t('email')} required autoComplete="email" autoFocus={autoFocus()} value={values.email!} onInput={onInput} error={errors.email} />
        )}
        {askDepartment && (
          <Field
            name="department"
            type="select"
            label={t('department')}
            placeholder={t('chooseDepartment')}
            options={departments.map((d) => ({ value: d._id, label: d.name }))}
            autoFocus={autoFocus()}
            value={values.department!}
            onInput={onInput}
          />
        )}
        {fields.map((f) => (
          <Field
            key={f._id}
            name={`cf-${f._id}`}
            type={f.type === 'select' ? 'select' : 'text'}
            label={f.label}
            required={!!f.required}
            placeholder={t('chooseOption')}
            options={f.options?.map((o) => ({ value: o, label: o }))}
            autoFocus={autoFocus()}
            value={values[`cf-${f._id}`] ?? ''}
            onInput={onInput}
            error={errors[`cf-${f._id}`]}
          />
        ))}
        {consentText && <p class="consent">{consentText}</p>}
        {s.forceAcceptDataProcessingConsent && (
          <div class="field">
            <label class="check">
              <input
                type="checkbox"
                name="consent"
                checked={values.consent === 'yes'}
                onChange={(e) => onInput('consent', (e.currentTarget as HTMLInputElement).checked ? 'yes' : '')}
                aria-invalid={errors.consent ? 'true' : undefined}
                aria-describedby={errors.consent ? 'f-consent-err' : undefined}
              />{' '}
              {t('consent')}
            </label>
            {errors.consent && (
              <p class="err" id="f-consent-err">
                {errors.consent}
              </p>
            )}
          </div>
        )}
        {failed && (
          <p class="err" role="alert">
            {t('failed')}
          </p>
        )}
        <button class="primary" type="submit" disabled={busy} {...(first && { 'data-autofocus': '' })}>
          {t('startChat')}
        </button>
      </form>
    </div>
  );
}
