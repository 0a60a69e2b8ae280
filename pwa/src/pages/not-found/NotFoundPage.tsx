import { PageHeading } from '../../components/PageHeading';
import { useT } from '../../i18n';
import { HOME } from '../../routes';

export function NotFoundPage() {
  const t = useT();
  return (
    <section class="card">
      <PageHeading title={t.notFound.title} />
      <p>{t.notFound.body}</p>
      <p>
        <a class="target-link" href={HOME}>
          {t.notFound.home}
        </a>
      </p>
    </section>
  );
}
