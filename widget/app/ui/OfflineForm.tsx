/** The leave-a-message form shown while nobody is online (name, e-mail, department, message). */
import { useRef, useState } from 'preact/hooks';
import type { Session } from '../session';
import type { State, Translate } from '../state';
import { Field } from './Field';
import { check, focusFirstError, type Rule } from './validate';

export function OfflineForm({ session, state, t }: { session: Session; state: State; t: Translate }) {
  const config = state.config!;
  const departments = config.departments.filter((d) => d.showOnOfflineForm);
  const [values, setValues] = useState<Record<string, string>>({ name: state.guest.name ?? state.user?.name ?? '', email: state.guest.email ?? '', department: '', message: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const onInput = (name: string, value: string): void => {
    setValues((v) => ({ ...v, [name]: value }));
    if (errors[name]) setErrors(({ [name]: _fixed, ...rest }) => rest); // re-checked on submit
  };
  const rules: Rule[] = [
    { name: 'name', required: true },
    { name: 'email', required: true, email: true },
    { name: 'message', required: true },
  ];

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const found = check(values, rules, t);
    setErrors(found);
    if (Object.keys(found).length) return focusFirstError(form.current);
    setBusy(true);
    setFailed(false);
    try {
      await session.leaveMessage({
        name: values.name!.trim(),
        email: values.email!.trim(),
        message: values.message!.trim(),
        ...(values.department && { department: values.department }),
      });
    } catch {
      setFailed(true);
      setBusy(false);
    }
  }

  return (
    <div class="body">
      <form ref={form} class="stack" noValidate onSubmit={submit}>
        <p class="intro">{config.messages.offlineMessage || t('offlineIntro')}</p>
        <Field name="name" label={t('name')} required autoComplete="name" autoFocus value={values.name!} onInput={onInput} error={errors.name} />
        <Field name="email" type="email" label={t('email')} required autoComplete="email" value={values.email!} onInput={onInput} error={errors.email} />
        {departments.length > 0 && (
          <Field
            name="department"
            type="select"
            label={t('department')}
            placeholder={t('chooseDepartment')}
            options={departments.map((d) => ({ value: d._id, label: d.name }))}
            value={values.department!}
            onInput={onInput}
          />
        )}
        <Field
          name="message"
          type="textarea"
          label={t('message')}
          required
          value={values.message!}
          onInput={onInput}
          error={errors.message}
          maxLength={config.settings.limitTextLength || undefined}
        />
        {failed && (
          <p class="err" role="alert">
            {t('failed')}
          </p>
        )}
        <button class="primary" type="submit" disabled={busy}>
          {t('sendMessage')}
        </button>
      </form>
    </div>
  );
}
