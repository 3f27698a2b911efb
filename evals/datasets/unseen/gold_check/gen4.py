# ---------- kind 4: codes typed as people type them ----------
I(4,'shorthand','units',"5 0 5 9 0 done both kidneys same day - how many units?",None,['50590'],['modifier 50','-50','one unit','1 unit'],
  [mue('50590',1),rvu('50590','bilat','1'),"knowledge/policies/renal-calculi-one-unit-per-side.md: both sides = code once with modifier 50, one unit"])
I(4,'terse','pair',"CPT# 52001 with 52000 same session?",'included',['52001','52000'],INC,[ptp('52001','52000',0),item('52001','inc','diagnostic cystourethroscopy')])
I(4,'shorthand','pair',"52332-RT and 52005-LT (retrograde only on the left), will that pass?",'separate',['52332','52005'],MOD,
  [ptp('52332','52005',1),"knowledge/policies/bilateral-contralateral-modifiers.md: edits with indicator 1 on paired organs are bypassed for the opposite side with LT/RT"])
I(4,'terse','units',"51797 x2 ok?",None,['51797'],['1 unit','one unit','1 per','one per','MUE of 1','MUE is 1'],[mue('51797',1)])
I(4,'shorthand','units',"52442 x 4 units - within limits?",None,['52442'],['6','six'],[mue('52442',6),aoc('52442','52441')])
I(4,'typo','units',"cpt52204x3 for 3 biopsy sites?",None,['52204'],['one','1 unit','single'],[mue('52204',1),item('cystoscopy-biopsy-one-unit','inc','additional biopsies')])
I(4,'terse','units',"52315 2 units allowed?",None,['52315'],['2','two'],[mue('52315',2)])
I(4,'shorthand','units',"#52353-50 bilateral ureteroscopic laser, units = ?",None,['52353'],['one','1 unit','1'],
  [mue('52353',1),rvu('52353','bilat','1'),"knowledge/policies/renal-calculi-one-unit-per-side.md: 52353 both ureters = modifier 50, one unit"])
I(4,'terse','pair',"cpt:52234;52204",'included',['52234','52204'],INC,[ptp('52234','52204',1),item('52234','inc','cold cup biopsy')])
I(4,'terse','family',"5-2-6-0-1 global days?",None,['52601'],['90','090','ninety'],[rvu('52601','glob','090')])
I(4,'shorthand','units',"51702 x2 same DOS (foley replaced later that day) - MUE?",None,['51702'],['2','two'],[mue('51702',2)])
I(4,'terse','units',"max units 50432 per day?",None,['50432'],['2','two'],[mue('50432',2)])
I(4,'shorthand','pair',"52356-LT + 52332-RT ok together?",'separate',['52356','52332'],MOD,
  [ptp('52356','52332',1),"knowledge/policies/bilateral-contralateral-modifiers.md: indicator-1 edits on paired organs bypassed for the opposite side"])
I(4,'typo','pair',"52OOO and 51702 same day, foley placed right before the scope",'included',['52000','51702'],INC,[ptp('52000','51702',0),item('52000','inc','foley')])
I(4,'terse','inclusion',"5 1 7 2 0 w/ J9030 - drug separate?",'separate',['51720','J9030'],SEP,[item('51720','sep','BCG')])
I(4,'shorthand','units',"50590 x 2 units (2 stones same kidney)?",None,['50590'],['one','1 unit','single','per side'],
  [mue('50590',1),"knowledge/policies/renal-calculi-one-unit-per-side.md: one unit per side, however many stones"])
