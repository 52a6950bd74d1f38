// The authority administrator's family portal settings: who sees each type of entry by default
// (the team only, or the team and the family; the safeguarding-sensitive types are always the
// team only), and the age from which a young person may have their own account.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ENTRY_TYPES, entryTypeLabel } from '../format';
import { Button, FormErrors, check, useProblems, Loaded, SelectField, Success, TableWrap, TextField, useAsync } from '../components/ui';
import type { FamilySettings } from '../types';

type Settings = FamilySettings;

const CHOICES: [string, string][] = [
  ['team', 'The team only'],
  ['team_and_family', 'The team and the family'],
];
const SUBJECTS: [string, string][] = [...ENTRY_TYPES, ['forum_thread', 'Forum discussion']];

function SettingsForm({ initial, onSaved }: { initial: Settings; onSaved: () => void }) {
  const [defaults, setDefaults] = useState(initial.defaults);
  const [age, setAge] = useState(String(initial.young_person_min_age));
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      data-testid="family-settings-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([['young_person_min_age', !/^\d+$/.test(age.trim()) || Number(age) < 10 || Number(age) > 18 ? 'Enter an age from 10 to 18' : false]]))) return;
        setBusy(true);
        try {
          const chosen = Object.fromEntries(Object.entries(defaults).filter(([code]) => !initial.fixed.includes(code)));
          await api.put('/api/v1/authority/family-settings', { defaults: chosen, young_person_min_age: Number(age) });
          onSaved();
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="settings">
      <TextField id="settings-young_person_min_age" label="A young person may have their own account from the age of" hint="From 10 to 18" inputMode="numeric" value={age} onInput={setAge} width="3" required />
      <TableWrap label="Who sees each type of entry by default">
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--m">Who sees each type of entry by default</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Type</th>
              <th scope="col" class="govuk-table__header">Default</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {SUBJECTS.map(([code, label]) => (
              <tr class="govuk-table__row" key={code}>
                <th scope="row" class="govuk-table__header">{code === 'forum_thread' ? label : entryTypeLabel(code)}</th>
                <td class="govuk-table__cell">
                  {initial.fixed.includes(code) ? (
                    <p class="govuk-body govuk-!-margin-bottom-0" data-testid={`settings-fixed-${code}`}>
                      The team only. Safeguarding-sensitive: it cannot be shared by default.
                    </p>
                  ) : (
                    <SelectField id={`settings-${code}`} label={`Default for ${label}`} value={defaults[code] ?? 'team'} onInput={(v) => setDefaults({ ...defaults, [code]: v as Settings['defaults'][string] })} options={CHOICES} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Button busy={busy} testid="save-family-settings">Save settings</Button>
    </FormErrors>
</form>
  );
}

export function FamilySettingsPage() {
  const settings = useAsync(() => api.get<Settings>('/api/v1/authority/family-settings'), []);
  const [saved, setSaved] = useState('');
  useEffect(() => {
    document.title = 'Family portal settings – Kith';
  }, []);
  return (
    <>
      <h1 class="govuk-heading-l">Family portal settings</h1>
      <p class="govuk-body">
        Nothing is shared with a family unless someone decides to. Practitioners choose who sees each entry when they record
        it; these defaults apply only where nobody chose (imports and other systems). Incidents, injuries and hospital
        attendances, police call-outs, strategy discussions, case conferences, referrals, discussions and anything serious
        are always the team's only unless a practitioner shares them.
      </p>
      {saved && <Success>{saved}</Success>}
      <Loaded state={settings} what="The family portal settings">
        {(s) => <SettingsForm initial={s} onSaved={() => { setSaved('The settings were saved.'); settings.reload(); }} />}
      </Loaded>
    </>
  );
}
