// 新建数据产品: from a CSV file to a dataset in the review queue. The schema is inferred and
// editable, the commitment is computed here (a worker, with a progress bar), then the draft is
// created, its rows uploaded to the provider's private store, and it is submitted for review.
import { useEffect, useRef, useState } from 'preact/hooks';
import { createDataset, submitDatasetForReview, uploadDatasetRows, type RowUpload } from '../../../../sdk/graphql/catalog.ts';
import {
  COLUMN_TYPES,
  DATA_DOMAINS,
  GRADES,
  SENSITIVITIES,
  UPDATE_FREQUENCIES,
  type ColumnType,
  type DataDomain,
  type Grade,
  type ListingCheck,
  type Sensitivity,
  type UpdateFrequency,
} from '../../../../sdk/graphql/types.ts';
import { Hash } from '../../components/data.tsx';
import { ErrorNotice, Notice } from '../../components/feedback.tsx';
import { Checkbox, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, seg } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { CLASSIFICATIONS, classificationOf } from '../../taxonomy.ts';
import type { EditableColumn, FileRow } from './dataset-file.ts';
import type { WorkerAnswer, WorkerRequest } from './dataset-file.worker.ts';

interface Parsed {
  fileName: string;
  header: string[];
  rowCount: number;
  preview: FileRow[];
}

interface Commitment {
  root: string;
  rowCount: number;
  csv: string;
  samples: Record<string, string | number | null>[];
}

function useDatasetWorker() {
  const worker = useRef<Worker | null>(null);
  const listener = useRef<(a: WorkerAnswer) => void>(() => {});
  useEffect(() => {
    const w = new Worker(new URL('./dataset-file.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<WorkerAnswer>) => listener.current(e.data);
    worker.current = w;
    return () => w.terminate();
  }, []);
  return {
    send: (request: WorkerRequest) => worker.current!.postMessage(request),
    onAnswer: (fn: (a: WorkerAnswer) => void) => {
      listener.current = fn;
    },
  };
}

export default function NewDatasetPage() {
  const { t, label, formatNumber } = useI18n();
  const { client } = useSession();
  const worker = useDatasetWorker();
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [columns, setColumns] = useState<EditableColumn[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ fraction: number; rowsHashed: number } | null>(null);
  const [commitment, setCommitment] = useState<Commitment | null>(null);

  const [titleZh, setTitleZh] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [descriptionZh, setDescriptionZh] = useState('');
  const [descriptionEn, setDescriptionEn] = useState('');
  const [domain, setDomain] = useState<DataDomain>('TRANSPORT');
  const [classification, setClassification] = useState<string>(classificationOf('TRANSPORT', CLASSIFICATIONS.TRANSPORT[0]!));
  const [industry, setIndustry] = useState('');
  const [keywords, setKeywords] = useState('');
  const [frequency, setFrequency] = useState<UpdateFrequency>('DAILY');
  const [grade, setGrade] = useState<Grade>('L2');
  const personalColumns = columns.some((c) => c.sensitivity === 'PERSONAL' || c.sensitivity === 'SENSITIVE_PERSONAL');
  const [personalInfo, setPersonalInfo] = useState(false);
  useEffect(() => setPersonalInfo(personalColumns), [personalColumns]);

  worker.onAnswer((a) => {
    if (a.type === 'parsed') {
      setParsed((p) => ({ fileName: p?.fileName ?? '', header: a.header, rowCount: a.rowCount, preview: a.preview }));
      setColumns(a.columns);
      setFileError(null);
    } else if (a.type === 'progress') setProgress({ fraction: a.fraction, rowsHashed: a.rowsHashed });
    else if (a.type === 'committed') {
      setCommitment({ root: a.root, rowCount: a.rowCount, csv: a.csv, samples: a.samples });
      setProgress({ fraction: 1, rowsHashed: a.rowCount });
    } else {
      setFileError(a.message);
      setProgress(null);
    }
  });

  const editColumn = (i: number, change: Partial<EditableColumn>) => {
    setCommitment(null);
    setProgress(null);
    setColumns(columns.map((c, j) => (j === i ? { ...c, ...change } : c)));
  };

  // Create the draft, upload the rows, submit for review: the three calls of a listing.
  const [draftId, setDraftId] = useState<string | null>(null);
  const [upload, setUpload] = useState<RowUpload | null>(null);
  const create = useAction(async () => {
    const c = commitment!;
    const input = {
      titleZh,
      titleEn,
      descriptionZh,
      descriptionEn,
      domain,
      classification,
      ...(industry.trim() ? { industry: industry.trim() } : {}),
      keywords: keywords
        .split(/[,，、\s]+/)
        .map((k) => k.trim())
        .filter(Boolean),
      columns: columns.map(({ source: _source, ...c }) => c),
      updateFrequency: frequency,
      rowCount: c.rowCount,
      sampleRows: c.samples,
      grade,
      personalInfo,
      commitment: c.root,
    };
    const id = draftId ?? (await createDataset(client, input)).dataset.id;
    setDraftId(id);
    setUpload(await uploadDatasetRows(client, id, c.csv));
  });
  const submit = useAction(async () => submitDatasetForReview(client, draftId!));
  const checks: ListingCheck[] | undefined = submit.result?.checks;

  return (
    <Page title={t('newDataset.title')}>
      <p class="muted">{t('newDataset.intro')}</p>

      <section class="card" aria-labelledby="file-h">
        <h2 id="file-h">1. {t('newDataset.file')}</h2>
        <div class="field">
          <label for="csv-file">{t('newDataset.csvFile')}</label>
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="csv-hint"
            onChange={async (e) => {
              const f = e.currentTarget.files?.[0];
              if (!f) return;
              setCommitment(null);
              setProgress(null);
              setDraftId(null);
              setUpload(null);
              setParsed({ fileName: f.name, header: [], rowCount: 0, preview: [] });
              worker.send({ type: 'parse', text: await f.text() });
            }}
          />
          <div class="hint" id="csv-hint">
            {t('newDataset.csvHint')}
          </div>
        </div>
        {fileError && <Notice kind="bad">{fileError}</Notice>}
        {parsed && parsed.rowCount > 0 && (
          <p role="status">{t('newDataset.parsed', { file: parsed.fileName, rows: formatNumber(parsed.rowCount), columns: parsed.header.length })}</p>
        )}
      </section>

      {columns.length > 0 && (
        <section class="card" aria-labelledby="schema-h">
          <h2 id="schema-h">2. {t('newDataset.schema')}</h2>
          <p class="muted small">{t('newDataset.schemaHint')}</p>
          <div class="table-wrap">
            <table class="schema-editor">
              <thead>
                <tr>
                  <th scope="col">{t('newDataset.sourceColumn')}</th>
                  <th scope="col">{t('schema.name')}</th>
                  <th scope="col">{t('schema.type')}</th>
                  <th scope="col">{t('schema.scale')}</th>
                  <th scope="col">{t('schema.categories')}</th>
                  <th scope="col">{t('schema.unit')}</th>
                  <th scope="col">{t('schema.nullable')}</th>
                  <th scope="col">{t('schema.sensitivity')}</th>
                </tr>
              </thead>
              <tbody>
                {columns.map((c, i) => (
                  <tr key={c.source}>
                    <th scope="row">
                      <code>{c.source}</code>
                    </th>
                    <td>
                      <input aria-label={`${t('schema.name')} · ${c.source}`} value={c.name} onInput={(e) => editColumn(i, { name: e.currentTarget.value })} />
                    </td>
                    <td>
                      <select
                        aria-label={`${t('schema.type')} · ${c.source}`}
                        value={c.type}
                        onChange={(e) => {
                          const type = e.currentTarget.value as ColumnType;
                          editColumn(i, {
                            type,
                            scale: type === 'DECIMAL' ? (c.scale ?? 2) : undefined,
                            categories: type === 'CATEGORY' ? (c.categories ?? [...new Set(parsed!.preview.map((r) => r[c.source]).filter((v): v is string => !!v))]) : undefined,
                          });
                        }}
                      >
                        {COLUMN_TYPES.map((ty) => (
                          <option key={ty} value={ty}>
                            {label('columnType', ty)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {c.type === 'DECIMAL' ? (
                        <input
                          type="number"
                          min={0}
                          max={12}
                          aria-label={`${t('schema.scale')} · ${c.source}`}
                          value={c.scale ?? 0}
                          onInput={(e) => editColumn(i, { scale: Number(e.currentTarget.value) })}
                        />
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      {c.type === 'CATEGORY' ? (
                        <input
                          aria-label={`${t('schema.categories')} · ${c.source}`}
                          value={(c.categories ?? []).join(',')}
                          onInput={(e) =>
                            editColumn(i, {
                              categories: e.currentTarget.value
                                .split(',')
                                .map((x) => x.trim())
                                .filter(Boolean),
                            })
                          }
                        />
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      <input aria-label={`${t('schema.unit')} · ${c.source}`} value={c.unit ?? ''} onInput={(e) => editColumn(i, { unit: e.currentTarget.value || undefined })} />
                    </td>
                    <td>
                      <input type="checkbox" aria-label={`${t('schema.nullable')} · ${c.source}`} checked={c.nullable} onChange={(e) => editColumn(i, { nullable: e.currentTarget.checked })} />
                    </td>
                    <td>
                      <select aria-label={`${t('schema.sensitivity')} · ${c.source}`} value={c.sensitivity} onChange={(e) => editColumn(i, { sensitivity: e.currentTarget.value as Sensitivity })}>
                        {SENSITIVITIES.map((s) => (
                          <option key={s} value={s}>
                            {label('sensitivity', s)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {columns.length > 0 && (
        <section class="card" aria-labelledby="commit-h">
          <h2 id="commit-h">3. {t('newDataset.commitment')}</h2>
          <p class="muted small">{t('newDataset.commitmentHint')}</p>
          <button
            type="button"
            class="primary"
            disabled={!!progress && progress.fraction < 1 && !commitment}
            onClick={() => {
              setFileError(null);
              setCommitment(null);
              setProgress({ fraction: 0, rowsHashed: 0 });
              worker.send({ type: 'commit', columns });
            }}
          >
            {t('newDataset.compute')}
          </button>
          {progress && (
            <div class="field" style={{ marginTop: '.75rem' }}>
              <label for="commit-progress">{t('newDataset.progress', { rows: formatNumber(progress.rowsHashed), total: formatNumber(parsed?.rowCount ?? 0) })}</label>
              <progress id="commit-progress" max={1} value={progress.fraction} aria-valuetext={`${Math.round(progress.fraction * 100)}%`} />
            </div>
          )}
          {commitment && (
            <Notice kind="ok">
              {t('newDataset.committed', { rows: formatNumber(commitment.rowCount) })} <Hash value={commitment.root} />
            </Notice>
          )}
        </section>
      )}

      {commitment && (
        <form
          class="card"
          aria-labelledby="meta-h"
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}
        >
          <h2 id="meta-h">4. {t('newDataset.metadata')}</h2>
          <div class="grid two">
            <TextField label={t('newDataset.titleZh')} value={titleZh} onValue={setTitleZh} required />
            <TextField label={t('newDataset.titleEn')} value={titleEn} onValue={setTitleEn} required />
            <TextArea label={t('newDataset.descriptionZh')} value={descriptionZh} onValue={setDescriptionZh} required hint={t('newDataset.descriptionHint')} />
            <TextArea label={t('newDataset.descriptionEn')} value={descriptionEn} onValue={setDescriptionEn} required hint={t('newDataset.descriptionHint')} />
            <SelectField<DataDomain>
              label={t('catalog.domain')}
              value={domain}
              onValue={(d) => {
                setDomain(d);
                setClassification(classificationOf(d, CLASSIFICATIONS[d][0]!));
              }}
              options={DATA_DOMAINS.map((d) => ({ value: d, label: label('domain', d) }))}
            />
            <SelectField<string>
              label={t('dataset.classification')}
              value={classification}
              onValue={setClassification}
              options={CLASSIFICATIONS[domain].map((c) => ({ value: classificationOf(domain, c), label: classificationOf(domain, c) }))}
            />
            <SelectField<Grade> label={t('catalog.grade')} value={grade} onValue={setGrade} options={GRADES.map((g) => ({ value: g, label: `${g} · ${label('gradeLong', g)}` }))} hint={t('newDataset.gradeHint')} />
            <SelectField<UpdateFrequency> label={t('dataset.frequency')} value={frequency} onValue={setFrequency} options={UPDATE_FREQUENCIES.map((f) => ({ value: f, label: label('frequency', f) }))} />
            <TextField label={t('dataset.keywords')} value={keywords} onValue={setKeywords} required hint={t('newDataset.keywordsHint')} />
            <TextField label={t('dataset.industry')} value={industry} onValue={setIndustry} />
          </div>
          <Checkbox label={t('dataset.personalInfo')} checked={personalInfo} onValue={setPersonalInfo} hint={t('newDataset.personalHint')} />
          <button type="submit" class="primary" disabled={create.pending || !!upload?.matchesDeclaration}>
            {t('newDataset.create')}
          </button>
          <ErrorNotice error={create.error} />
          {upload && (
            <Notice kind={upload.matchesDeclaration ? 'ok' : 'bad'}>
              {upload.matchesDeclaration ? t('newDataset.uploaded', { rows: formatNumber(upload.rowCount) }) : t('newDataset.uploadMismatch')}
            </Notice>
          )}
        </form>
      )}

      {draftId && upload?.matchesDeclaration && (
        <section class="card" aria-labelledby="submit-h">
          <h2 id="submit-h">5. {t('newDataset.submit')}</h2>
          <button type="button" class="primary" disabled={submit.pending || !!checks} onClick={() => void submit.run()}>
            {t('newDataset.submitButton')}
          </button>
          <ErrorNotice error={submit.error} />
          {checks && (
            <Notice kind="ok">
              <p>{t('newDataset.submitted')}</p>
              <ul class="checks">
                {checks.map((c) => (
                  <li key={c.rule} class={c.passed ? 'pass' : 'fail'}>
                    {label('rule', c.rule)}: {c.detail}
                  </li>
                ))}
              </ul>
            </Notice>
          )}
          <p>
            <Link to={`/provider/datasets/${seg(draftId)}`}>{t('newDataset.manage')}</Link>
          </p>
        </section>
      )}
    </Page>
  );
}
