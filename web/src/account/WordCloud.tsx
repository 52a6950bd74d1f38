// The word cloud: d3-cloud lays out the case's most frequent words and phrases; choosing a word
// (in the cloud, or in the list that is its keyboard and screen-reader equivalent) shows the
// chronology entries and forum posts it comes from.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import cloud from 'd3-cloud';
import { api, seg } from '../api';
import type { TabProps } from '../pages/Child';
import type { Entry, Term } from '../types';
import { Loaded, Radios, useAsync } from '../components/ui';
import { EntryItem } from './Chronology';
import { href } from '../router';

// Dark colours, each at least 4.5:1 against white; colour carries no meaning here.
const INKS = ['#0b5563', '#1d3f73', '#5b2a86', '#6e3619', '#005a30', '#3b3b3b'];
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const W = 760;
const H = 420;

interface Placed {
  text: string;
  size: number;
  x: number;
  y: number;
  rotate: number;
  term: Term;
}

export function layoutWords(terms: Term[], width = W, height = H): Promise<Placed[]> {
  return new Promise((resolve) => {
    const words = terms.map((t) => ({ text: t.display, size: Math.round(14 + t.weight * 42), term: t }));
    cloud<{ text: string; size: number; term: Term }>()
      .size([width, height])
      .words(words)
      .padding(4)
      .rotate(() => 0)
      .font(FONT)
      .fontWeight('bold')
      .fontSize((d) => d.size)
      .random(seeded(7))
      .on('end', (placed) => resolve(placed as unknown as Placed[]))
      .start();
  });
}

// A fixed seed, so the same words land in the same places every time the page opens.
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

function CloudSvg({ terms, selected, onSelect }: { terms: Term[]; selected: string | undefined; onSelect: (t: Term) => void }) {
  const [placed, setPlaced] = useState<Placed[]>();
  useEffect(() => {
    let alive = true;
    layoutWords(terms).then((p) => alive && setPlaced(p));
    return () => {
      alive = false;
    };
  }, [terms]);
  if (!placed) return <p class="govuk-body kith-loading">Arranging the words…</p>;
  return (
    <svg class="kith-cloud" viewBox={`${-W / 2} ${-H / 2} ${W} ${H}`} role="img" aria-label="Word cloud of the case. The same words are listed below as buttons." data-testid="word-cloud">
      {placed.map((w, i) => (
        <text
          key={w.term.term}
          class={`kith-cloud__word${selected === w.term.term ? ' kith-cloud__word--selected' : ''}`}
          text-anchor="middle"
          transform={`translate(${w.x},${w.y}) rotate(${w.rotate})`}
          font-size={w.size}
          font-family={FONT}
          font-weight="bold"
          fill={INKS[i % INKS.length]}
          onClick={() => onSelect(w.term)}
          data-term={w.term.term}
        >
          {w.text}
        </text>
      ))}
    </svg>
  );
}

function Sources({ childId, term, version }: { childId: string; term: Term; version: number }) {
  const chronology = useAsync(() => api.get<{ entries: Entry[] }>(`/api/v1/children/${seg(childId)}/chronology`), [childId, version]);
  const heading = useRef<HTMLHeadingElement>(null);
  const [shown, setShown] = useState(10);
  useEffect(() => {
    setShown(10);
    heading.current?.focus();
  }, [term.term]);
  return (
    <section class="kith-card" aria-labelledby="sources-h" data-testid="word-sources">
      <h3 class="govuk-heading-m" id="sources-h" tabIndex={-1} ref={heading}>
        “{term.display}”: {term.count} mention{term.count === 1 ? '' : 's'}
      </h3>
      <Loaded state={chronology} what="The entries">
        {(d) => {
          const ids = new Set(term.entry_ids);
          const entries = d.entries.filter((e) => ids.has(e.id) || ids.has(e.lineage_id));
          const others = term.entry_ids.length - entries.length;
          return (
            <>
              {entries.length > 0 && (
                <>
                  <p class="govuk-body">
                    {entries.length} chronology entr{entries.length === 1 ? 'y' : 'ies'}, newest first.
                  </p>
                  <ol class="kith-timeline">
                    {entries.slice(0, shown).map((e) => (
                      <EntryItem key={e.id} entry={e} />
                    ))}
                  </ol>
                  {entries.length > shown && (
                    <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setShown(shown + 10)}>
                      Show {Math.min(10, entries.length - shown)} more
                    </button>
                  )}
                </>
              )}
              {others > 0 && (
                <p class="govuk-body">
                  And {others} forum post{others === 1 ? '' : 's'}: see the <a class="govuk-link" href={href('children', childId, 'forum')}>forum</a>.
                </p>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

export function WordList({ terms, selected, onSelect }: { terms: Term[]; selected: string | undefined; onSelect: (t: Term) => void }) {
  return (
    <ul class="kith-word-buttons" data-testid="word-list">
      {terms.map((t) => (
        <li key={t.term}>
          <button type="button" class="kith-word-button" aria-pressed={selected === t.term} onClick={() => onSelect(t)}>
            {t.display}
            <span aria-hidden="true"> ({t.count})</span>
            <span class="govuk-visually-hidden">{`, ${t.count} mention${t.count === 1 ? '' : 's'}`}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The list's two orders, each exactly as its label says. */
export function sortTerms(terms: Term[], order: 'mentions' | 'distinctive'): Term[] {
  const byName = (a: Term, b: Term) => a.display.localeCompare(b.display);
  return [...terms].sort(order === 'mentions'
    ? (a, b) => b.count - a.count || b.weight - a.weight || byName(a, b)
    : (a, b) => b.weight - a.weight || b.count - a.count || byName(a, b));
}

export function WordCloud({ childId, versions }: TabProps) {
  const terms = useAsync(() => api.get<{ terms: Term[] }>(`/api/v1/children/${seg(childId)}/word-cloud?n=50`), [childId, versions.chronology, versions.forum]);
  const [selected, setSelected] = useState<Term>();
  const [order, setOrder] = useState<'mentions' | 'distinctive'>('mentions');
  const sorted = useMemo(() => sortTerms(terms.data?.terms ?? [], order), [terms.data, order]);
  return (
    <>
      <p class="govuk-body">
        The words that stand out across the chronology and the forum: the bigger the word, the more it stands out for this child
        compared with other children. Safeguarding words (injuries, neglect, domestic abuse, missed health care) are weighted up.
        Words a note denies (“no concerns raised”) and words about the recording itself (“advice given”, “visit”) are left out.
        Choose a word to see where it comes from.
      </p>
      <Loaded state={terms} what="The word cloud">
        {(d) =>
          d.terms.length === 0 ? (
            <p class="govuk-body">There are not enough words recorded yet.</p>
          ) : (
            <>
              <div class="kith-card">
                <CloudSvg terms={d.terms} selected={selected?.term} onSelect={setSelected} />
              </div>
              <Radios
                id="word-order"
                legend="Order the list"
                value={order}
                onInput={(v) => setOrder(v as 'mentions' | 'distinctive')}
                options={[
                  { value: 'mentions', label: 'Most mentioned first' },
                  { value: 'distinctive', label: 'Stands out most first (as in the picture)' },
                ]}
                small
              />
              <h3 class="govuk-heading-s" data-testid="word-list-heading">
                All words, {order === 'mentions' ? 'most mentioned first' : 'the ones that stand out most first'}
              </h3>
              <WordList terms={sorted} selected={selected?.term} onSelect={setSelected} />
              <div class="govuk-!-margin-top-5">{selected && <Sources childId={childId} term={selected} version={versions.chronology} />}</div>
            </>
          )
        }
      </Loaded>
    </>
  );
}
