// Cursor paging for lists (Previous / Page N / Next) and a search box kept in the URL as ?q=.
import { Button, CloseButton, Group, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { withFilter } from './list-state.ts';

/** The cursors of the pages seen so far; the last is the current page's, so Previous pops it. */
export function useCursorPages({ scroll = true }: { scroll?: boolean } = {}) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const turn = (next: (string | undefined)[]) => {
    setCursors(next);
    if (scroll) window.scrollTo({ top: 0 });
  };
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    previous: () => turn(cursors.slice(0, -1)),
    next: (cursor: string) => turn([...cursors, cursor]),
  };
}

export function Pager(props: {
  page: number;
  nextCursor: string | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  /** While a page loads, Next would skip ahead from the old one. */
  loading?: boolean;
}) {
  const { t } = useTranslation();
  const { page, nextCursor } = props;
  if (page <= 1 && !nextCursor) return null;
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        {t('customers.page', { page })}
      </Text>
      <Group gap="xs">
        <Button variant="default" disabled={page <= 1} onClick={props.onPrevious}>
          {t('customers.previous')}
        </Button>
        <Button
          variant="default"
          disabled={!nextCursor || props.loading}
          onClick={() => nextCursor && props.onNext(nextCursor)}
        >
          {t('customers.next')}
        </Button>
      </Group>
    </Group>
  );
}

/** A search box whose text is the URL's ?q= (debounced), so a reload or a link keeps it. */
export function UrlSearchBox({ label, placeholder }: { label: string; placeholder: string }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);

  const pushSearch = useDebouncedCallback((value: string) => {
    setParams(
      (current) => {
        // A new search starts at its first page (list-state.ts keeps the position beside it).
        if (value.trim() === (current.get('q') ?? '')) return current;
        return withFilter(current, 'q', value.trim() || null);
      },
      { replace: true },
    );
  }, 250);

  // The URL changed from outside the box (navigation, back button): show what it says.
  useEffect(() => {
    setSearch((current) => (current.trim() === q ? current : q));
  }, [q]);

  function change(value: string) {
    setSearch(value);
    pushSearch(value);
  }

  return (
    <TextInput
      aria-label={label}
      placeholder={placeholder}
      leftSection={<IconSearch size={16} />}
      value={search}
      onChange={(event) => change(event.currentTarget.value)}
      rightSection={
        search ? (
          <CloseButton
            size="sm"
            aria-label={t('customers.clearSearch')}
            onClick={() => change('')}
          />
        ) : null
      }
      type="search"
      maw={480}
      style={{ flex: 1 }}
    />
  );
}
