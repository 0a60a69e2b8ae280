import type { ApiError } from '../../api';
import { InputField } from '../../components/InputField';
import { useT } from '../../i18n';

/** The e-mail address that names an account (sign-in, a reset link). */
export function EmailField(props: { id: string; value: string; onInput: (value: string) => void; error: ApiError | null }) {
  const t = useT();
  return (
    <InputField
      {...props}
      name="email"
      label={t.login.email}
      type="email"
      inputMode="email"
      autocomplete="username"
      autocapitalize="none"
      spellcheck={false}
      required
    />
  );
}
