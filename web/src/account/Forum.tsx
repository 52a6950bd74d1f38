// The forum: the team's discussions about observations, progress, concerns and questions.
// Posts can be replied to, edited by their author (history kept), and a discussion can be
// promoted into a chronology entry.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, seg, type Body } from '../api';
import type { TabProps } from '../pages/Child';
import { useSession } from '../session';
import type { Post, Thread } from '../types';
import { ENTRY_TYPES, FORUM_CATEGORIES, formatDateTime, fullName, SIGNIFICANCE, todayIso } from '../format';
import { Button, check, DateField, dateProblem, FormErrors, Loaded, SelectField, Success, TextArea, TextField, useAsync, useProblems } from '../components/ui';
import { TEAM_ONLY, VisibilityControl, VisibilityTag, WhoWillSee, visibilityBody, type VisibilityChoice } from './Visibility';

const CATEGORY_TAG: Record<string, string> = {
  observation: 'govuk-tag--blue',
  progress: 'govuk-tag--green',
  concern: 'govuk-tag--red',
  question: 'govuk-tag--purple',
};

function CategoryTag({ c }: { c: string }) {
  return <strong class={`govuk-tag ${CATEGORY_TAG[c] ?? 'govuk-tag--grey'}`}>{FORUM_CATEGORIES.find(([k]) => k === c)?.[1] ?? c}</strong>;
}

function NewThread({ childId, childName, onCreated, onCancel }: { childId: string; childName: string; onCreated: (t: Thread) => void; onCancel: () => void }) {
  const [category, setCategory] = useState('observation');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<VisibilityChoice>(TEAM_ONLY);
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      data-testid="new-thread-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([
          ['title', !title.trim() && 'Enter a title for the discussion'],
          ['body', !body.trim() && 'Enter your message'],
          ['restriction_reason', visibility.choice === 'restrict' && !visibility.reason && 'Choose why the family must not see it'],
          ['restriction_text', visibility.choice === 'restrict' && visibility.reason === 'other' && !visibility.text.trim() && 'Describe why the family must not see it'],
        ]))) return;
        setBusy(true);
        try {
          const r = await api.post('/api/v1/children/{child_id}/forum', { child_id: childId }, {
            category: category as Body<'/api/v1/children/{child_id}/forum', 'post'>['category'], title: title.trim(), body: body.trim(), ...visibilityBody(visibility),
          });
          onCreated(r.thread);
        } catch (err) {
          problems.fail(err);
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="thread">
      <SelectField id="thread-category" label="Kind of post" value={category} onInput={setCategory} options={FORUM_CATEGORIES} />
      <TextField id="thread-title" label="Title" value={title} onInput={setTitle} maxLength={200} required />
      <TextArea id="thread-body" label="Message" hint="Mention a team member with @username to let them know." value={body} onInput={setBody} rows={5} maxLength={10000} required />
      <VisibilityControl id="thread" value={visibility} onInput={setVisibility} childName={childName} what="discussion" />
      <WhoWillSee value={visibility} childName={childName} testid="thread-who-will-see" />
      <div class="govuk-button-group">
        <Button busy={busy} testid="post-thread">Post</Button>
        <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </FormErrors>
</form>
  );
}

function PostHistory({ childId, post }: { childId: string; post: Post }) {
  const h = useAsync(() => api.get<{ versions: { body: string; edited_at: string }[] }>(`/api/v1/children/${seg(childId)}/forum/${seg(post.thread_id)}/posts/${seg(post.id)}/history`), [post.id, post.versions]);
  return (
    <Loaded state={h} what="The post's history">
      {(d) => (
        <ol class="govuk-list govuk-list--number govuk-body-s">
          {d.versions.map((v, i) => (
            <li key={i}>
              <span class="kith-meta">{formatDateTime(v.edited_at)}:</span> {v.body}
            </li>
          ))}
        </ol>
      )}
    </Loaded>
  );
}

function PostItem({ childId, post, posts, onChanged, onReply }: { childId: string; post: Post; posts: Post[]; onChanged: () => void; onReply: (p: Post) => void }) {
  const { session } = useSession();
  const [mode, setMode] = useState<'none' | 'edit' | 'history'>('none');
  const [body, setBody] = useState(post.body);
  const problems = useProblems();
  const parent = post.reply_to ? posts.find((p) => p.id === post.reply_to) : undefined;
  return (
    <li class={`kith-post${post.reply_to ? ' kith-post--reply' : ''}`} data-testid="post">
      <p class="kith-meta govuk-!-margin-top-0">
        <strong>{post.author_name}</strong> · {formatDateTime(post.created_at)}
        {post.edited_at && <> · edited {formatDateTime(post.edited_at)}</>}
        {parent && <> · replying to {parent.author_name}</>}
      </p>
      {mode === 'edit' ? (
        <form
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
        if (!problems.passes(check([['body', !body.trim() && 'Enter your post']]))) return;
            try {
              await api.put('/api/v1/children/{child_id}/forum/{thread_id}/posts/{post_id}', { child_id: childId, thread_id: post.thread_id, post_id: post.id }, { body: body.trim() });
              setMode('none');
              onChanged();
            } catch (err) {
              problems.fail(err);
            }
          }}
        >
          <FormErrors error={problems.error} errors={problems.errors} idPrefix={`edit-${post.id}`}>
          <TextArea id={`edit-${post.id}-body`} label="Edit your post" hint="The earlier version is kept in the history." value={body} onInput={setBody} rows={4} maxLength={10000} />
          <div class="govuk-button-group">
            <Button>Save</Button>
            <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setMode('none')}>
              Cancel
            </button>
          </div>
        </FormErrors>
</form>
      ) : (
        <p class="govuk-body kith-post__body">{post.body}</p>
      )}
      <div class="kith-inline-actions">
        <button type="button" class="kith-link-button" onClick={() => onReply(post)}>
          Reply<span class="govuk-visually-hidden"> to {post.author_name}</span>
        </button>
        {post.author_id === session.user.id && mode !== 'edit' && (
          <button type="button" class="kith-link-button" onClick={() => { setBody(post.body); setMode('edit'); }}>
            Edit<span class="govuk-visually-hidden"> your post</span>
          </button>
        )}
        {post.versions > 1 && (
          <button type="button" class="kith-link-button" aria-expanded={mode === 'history'} onClick={() => setMode(mode === 'history' ? 'none' : 'history')}>
            History ({post.versions} versions)
          </button>
        )}
      </div>
      {mode === 'history' && <PostHistory childId={childId} post={post} />}
    </li>
  );
}

function Promote({ childId, thread, onDone }: { childId: string; thread: Thread; onDone: () => void }) {
  const [f, setF] = useState({ occurred_on: todayIso(), type: 'note', significance: 'notable', summary: thread.title });
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([
          ['occurred_on', dateProblem(f.occurred_on, 'the date of the event', { required: true, notFuture: true })],
          ['summary', !f.summary.trim() && 'Enter a summary for the chronology'],
        ]))) return;
        setBusy(true);
        try {
          await api.post('/api/v1/children/{child_id}/forum/{thread_id}/promote', { child_id: childId, thread_id: thread.id }, f as Body<'/api/v1/children/{child_id}/forum/{thread_id}/promote', 'post'>);
          onDone();
        } catch (err) {
          problems.fail(err);
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="promote">
      <DateField id="promote-occurred_on" label="Date of the event" value={f.occurred_on} onInput={set('occurred_on')} />
      <SelectField id="promote-type" label="Type of event" value={f.type} onInput={set('type')} options={ENTRY_TYPES} />
      <SelectField id="promote-significance" label="Significance" value={f.significance} onInput={set('significance')} options={SIGNIFICANCE} />
      <TextField id="promote-summary" label="Summary for the chronology" value={f.summary} onInput={set('summary')} maxLength={200} />
      <p class="govuk-body">Only the team will see the entry. To share it with the family later, use “Share with the family” on the entry in the chronology.</p>
      <Button busy={busy}>Add to the chronology</Button>
    </FormErrors>
</form>
  );
}

function ThreadView({ childId, threadId, version, onBack }: { childId: string; threadId: string; version: number; onBack: () => void }) {
  const t = useAsync(() => api.get<{ thread: Thread; posts: Post[] }>(`/api/v1/children/${seg(childId)}/forum/${seg(threadId)}`), [childId, threadId, version]);
  const [reply, setReply] = useState('');
  const [replyTo, setReplyTo] = useState<Post>();
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const [promoting, setPromoting] = useState(false);
  const [message, setMessage] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const replyBox = useRef<HTMLDivElement>(null);
  useEffect(() => heading.current?.focus(), [threadId]);
  return (
    <Loaded state={t} what="The discussion">
      {(d) => (
        <section aria-labelledby="thread-h" data-testid="thread">
          <button type="button" class="govuk-back-link kith-link-button" onClick={onBack}>
            All discussions
          </button>
          <h3 class="govuk-heading-m" id="thread-h" tabIndex={-1} ref={heading}>
            {d.thread.title}
          </h3>
          <p class="kith-meta govuk-!-margin-bottom-4">
            <CategoryTag c={d.thread.category} /> Started by {d.thread.author_name}, {formatDateTime(d.thread.created_at)}
            {d.thread.promoted_entry_id && ' · added to the chronology'}
          </p>
          {message && <Success>{message}</Success>}
          <ol class="govuk-list" data-testid="posts">
            {d.posts.map((p) => (
              <PostItem
                key={p.id + ':' + p.versions}
                childId={childId}
                post={p}
                posts={d.posts}
                onChanged={t.reload}
                onReply={(post) => {
                  setReplyTo(post);
                  replyBox.current?.querySelector('textarea')?.focus();
                }}
              />
            ))}
          </ol>
          <div class="kith-card" ref={replyBox}>
            <form
              noValidate
              onSubmit={async (e) => {
                e.preventDefault();
        if (!problems.passes(check([['body', !reply.trim() && 'Enter your reply']]))) return;
                setBusy(true);
                try {
                  const body: Body<'/api/v1/children/{child_id}/forum/{thread_id}/posts', 'post'> = { body: reply.trim() };
                  if (replyTo) body.reply_to = replyTo.id;
                  await api.post('/api/v1/children/{child_id}/forum/{thread_id}/posts', { child_id: childId, thread_id: threadId }, body);
                  setReply('');
                  setReplyTo(undefined);
                  t.reload();
                } catch (err) {
                  problems.fail(err);
                } finally {
                  setBusy(false);
                }
              }}
            >
              <FormErrors error={problems.error} errors={problems.errors} idPrefix="reply">
              <TextArea
                id="reply-body"
                label={replyTo ? `Reply to ${replyTo.author_name}` : 'Add to the discussion'}
                hint="Mention a team member with @username to let them know."
                value={reply}
                onInput={setReply}
                rows={4}
                maxLength={10000}
                required
              />
              <div class="govuk-button-group">
                <Button busy={busy} testid="post-reply">Post reply</Button>
                {replyTo && (
                  <button type="button" class="kith-link-button" onClick={() => setReplyTo(undefined)}>
                    Reply to the whole discussion instead
                  </button>
                )}
              </div>
            </FormErrors>
</form>
          </div>
          {!d.thread.promoted_entry_id &&
            (promoting ? (
              <div class="kith-card">
                <h4 class="govuk-heading-s">Add this discussion to the chronology</h4>
                <Promote
                  childId={childId}
                  thread={d.thread}
                  onDone={() => {
                    setPromoting(false);
                    setMessage('The discussion was added to the chronology.');
                    t.reload();
                  }}
                />
              </div>
            ) : (
              <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setPromoting(true)}>
                Add to the chronology
              </button>
            ))}
        </section>
      )}
    </Loaded>
  );
}

export function Forum({ childId, account, versions }: TabProps) {
  const threads = useAsync(() => api.get<{ threads: Thread[] }>(`/api/v1/children/${seg(childId)}/forum`), [childId, versions.forum]);
  const [open, setOpen] = useState<string>();
  const [starting, setStarting] = useState(false);
  if (open) return <ThreadView childId={childId} threadId={open} version={versions.forum} onBack={() => { setOpen(undefined); threads.reload(); }} />;
  return (
    <>
      <p class="govuk-body">Discuss observations, progress, concerns and questions with the team. Everything posted is part of the record.</p>
      {!starting && !threads.error?.notAvailable && (
        <button type="button" class="govuk-button" onClick={() => setStarting(true)} data-testid="start-thread">
          Start a discussion
        </button>
      )}
      {starting && (
        <section class="kith-card" aria-labelledby="new-thread-h">
          <h3 class="govuk-heading-m" id="new-thread-h">
            Start a discussion
          </h3>
          <NewThread
            childName={fullName(account.child)}
            childId={childId}
            onCancel={() => setStarting(false)}
            onCreated={(t) => {
              setStarting(false);
              setOpen(t.id);
            }}
          />
        </section>
      )}
      <Loaded state={threads} what="The forum">
        {(d) =>
          d.threads.length === 0 ? (
            <p class="govuk-body">No discussions yet.</p>
          ) : (
            <ul class="kith-child-list" data-testid="threads">
              {d.threads.map((t) => (
                <li class="kith-child-list__item" key={t.id}>
                  <button type="button" class="kith-link-button govuk-!-font-weight-bold" onClick={() => setOpen(t.id)}>
                    {t.title}
                  </button>
                  <p class="kith-meta">
                    <CategoryTag c={t.category} /> <VisibilityTag value={t.family_visibility} /> {t.author_name} · {t.post_count} post{t.post_count === 1 ? '' : 's'} · last {formatDateTime(t.last_post_at)}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </>
  );
}
