// Customers → Import from CSV (/customers/import): upload → preview and mapping → progress →
// summary, one step at a time. The import being looked at is in the URL (?id=), so a reload, the
// back button or a link from "Recent imports" lands on the same step.
import { Alert, Anchor, Group, Loader, Stack, Stepper, Title } from '@mantine/core';
import { IconArrowLeft, IconInfoCircle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { CustomerImport } from '../../../common/customer-import.ts';
import { importKeys, importsApi, type UploadResult } from '../../api/customer-imports.ts';
import { keys } from '../../api/kunde.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCan } from '../session.tsx';
import { isActive } from './import-labels.ts';
import { ImportProgress } from './ImportProgress.tsx';
import { ImportSummary } from './ImportSummary.tsx';
import { PreviewStep } from './PreviewStep.tsx';
import { RecentImports } from './RecentImports.tsx';
import { UploadStep } from './UploadStep.tsx';

const POLL_MS = 500;

// Files chosen in this tab, by import (kept while the agent looks elsewhere): after a dry run the
// same file can be imported for real without choosing it again.
const chosenFiles = new Map<string, File>();

function stepOf(status: CustomerImport['status'] | undefined): number {
  if (status === undefined) return 0;
  if (status === 'preview') return 1;
  if (isActive(status)) return 2;
  // Done: every step completed; failed: the summary is where the agent is.
  return status === 'done' ? 4 : 3;
}

/** The import in the URL, polled while the server works on it; finishing refreshes the lists. */
function useWatchedImport(id: string | null) {
  const queryClient = useQueryClient();
  const watched = useQuery({
    queryKey: importKeys.one(id ?? ''),
    queryFn: () => importsApi.get(id ?? ''),
    enabled: id !== null,
    refetchInterval: (query) =>
      query.state.data && isActive(query.state.data.status) ? POLL_MS : false,
  });
  const status = watched.data?.status;
  const previous = useRef(status);
  useEffect(() => {
    if (previous.current !== status) {
      previous.current = status;
      void queryClient.invalidateQueries({ queryKey: importKeys.list });
      if (status === 'done') void queryClient.invalidateQueries({ queryKey: keys.customers });
    }
  }, [status, queryClient]);
  return watched;
}

export function ImportPage() {
  const { t } = useTranslation();
  const canImport = useCan('customers.import');
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const id = params.get('id');
  const watched = useWatchedImport(id);
  const current = id !== null ? watched.data : undefined;
  const [replayedId, setReplayedId] = useState<string | null>(null);

  function show(customerImport: CustomerImport, file?: File) {
    queryClient.setQueryData(importKeys.one(customerImport.id), customerImport);
    if (file) chosenFiles.set(customerImport.id, file);
    void queryClient.invalidateQueries({ queryKey: importKeys.list });
    setParams({ id: customerImport.id });
  }

  function uploaded({ preview, replayed }: UploadResult, file: File) {
    queryClient.setQueryData(importKeys.preview(preview.import.id, null), preview);
    setReplayedId(replayed ? preview.import.id : null);
    show(preview.import, file);
  }

  if (!canImport) {
    return (
      <Alert color="red" variant="light" icon={<IconInfoCircle />}>
        {t('errors.forbidden')}
      </Alert>
    );
  }

  const steps = [
    t('imports.steps.upload'),
    t('imports.steps.preview'),
    t('imports.steps.import'),
    t('imports.steps.summary'),
  ];

  let body;
  if (id === null) {
    body = <UploadStep onUploaded={uploaded} />;
  } else if (watched.isError && !current) {
    body = <ErrorAlert error={watched.error} />;
  } else if (!current) {
    body = (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  } else if (current.status === 'preview') {
    body = (
      <PreviewStep
        key={current.id}
        importId={current.id}
        onStarted={(started) => show(started)}
        onCancel={() => setParams({})}
      />
    );
  } else if (isActive(current.status)) {
    body = <ImportProgress customerImport={current} />;
  } else {
    body = (
      <ImportSummary
        key={current.id}
        customerImport={current}
        file={chosenFiles.get(current.id)}
        onStarted={(started, file) => show(started, file)}
        onAnother={() => setParams({})}
      />
    );
  }

  return (
    <Stack gap="lg" maw={1200}>
      <Stack gap={4}>
        <Anchor component={Link} to="/customers" size="sm" c="dimmed">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} />
            {t('imports.back')}
          </Group>
        </Anchor>
        <Title order={1} size="h2">
          {t('imports.title')}
        </Title>
      </Stack>
      <Stepper
        active={stepOf(current?.status)}
        size="sm"
        allowNextStepsSelect={false}
        color={current?.status === 'failed' ? 'red' : undefined}
      >
        {steps.map((label) => (
          <Stepper.Step key={label} label={label} />
        ))}
      </Stepper>
      {replayedId !== null && replayedId === id && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle />}>
          {t('imports.upload.replayed')}
        </Alert>
      )}
      {body}
      <RecentImports currentId={id} />
    </Stack>
  );
}
