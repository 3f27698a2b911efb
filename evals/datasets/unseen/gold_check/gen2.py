# ---------- kind 2: services named in words ----------
I(2,'shorthand','inclusion',"does 52320 cover flushing out the bladder so he can see the orifice?",'included',['52320'],INC,
  [item('bladder-irrigation-for-access','inc','irrigation'),"policy applies_to 52000-52356, which covers 52320"])
I(2,'case_note','inclusion',"Pt w/ L obstructing stone, old stent still in place from outside hospital. Dr grabbed the old stent with graspers and pulled it, then placed a new 6x26 JJ on the left. Billing 52332 — do I also get something for pulling the old stent?",
  'included',['52332'],INC,[item('52332','inc','stent removal'),ptp('52332','52310',0)])
I(2,'terse','inclusion',"52352, JJ left at end - extra?",'separate',['52352','52332'],SEP,[item('52352','sep','double-j'),ptp('52352','52332',deleted=True)])
I(2,'shorthand','inclusion',"52224 fulg of tiny bladder lesions then mitomycin instilled before leaving OR - is the instillation its own line?",'included',['52224'],INC,
  [item('52224','inc','mitomycin'),ptp('52224','51720',1)])
I(2,'typo','units',"52204 - doc took 5 diferent cold cup biopsys from dome, trigone and walls. one unit or five?",None,['52204'],['one','1 unit','single'],
  [item('cystoscopy-biopsy-one-unit','inc','additional biopsies'),item('52204','inc','multiple biopsies'),mue('52204',1)])
I(2,'formal','inclusion',"Following a transurethral resection of the prostate (52601), the patient was placed on continuous bladder irrigation. Is the irrigation separately reportable?",
  'included',['52601'],INC,[item('52601','inc','continuous bladder irrigation'),ptp('52601','51700',0)])
I(2,'shorthand','inclusion',"HoLEP 52649 - morcellation of the tissue in the bladder, separate code?",'included',['52649'],INC,[item('52649','inc','morcell')])
I(2,'terse','inclusion',"complex CMG 51726 + patch EMG — bill EMG too?",'separate',['51726','51784'],SEP,[item('51726','sep','patch EMG'),noptp('51726','51784')])
I(2,'case_note','inclusion',"Urodynamics today: filling CMG with pressure flow (51728), rectal balloon catheter in for abdominal pressure the whole time. Does the rectal catheter/abd pressure get billed?",
  'separate',['51728','51797'],SEP,[item('51728','sep','rectal'),aoc('51797','51728')])
I(2,'formal','inclusion',"For the intravesical BCG treatment (51720), is the BCG drug itself covered by the procedure code or billed on its own line?",'separate',['51720','J9030'],SEP,
  [item('51720','sep','BCG')])
I(2,'shorthand','inclusion',"PCNL 50080 — urologist got his own access and dilated the tract. is that part of 50080?",'separate',['50080'],SEP+['50436','50437'],
  [item('50080','sep','tract dilation'),ptp('50080','50437',1)])
I(2,'typo','inclusion',"50080 and they left a nephrostomy tube at the end, can i code the tube placment?",'included',['50080'],INC,[item('50080','inc','nephrostomy tube'),ptp('50080','50432',1)])
I(2,'shorthand','inclusion',"urolift 52441 — 3 more implants after the 1st, covered in 52441 or extra?",'separate',['52441','52442'],SEP+['52442'],[item('52441','sep','additional implant'),aoc('52442','52441')])
I(2,'formal','inclusion',"While placing an antegrade ureteral stent through the existing nephrostomy (50693), the radiologist balloon-dilated a ureteral stricture. Is the balloon dilation included?",
  'separate',['50693','50706'],SEP,[item('50693','sep','balloon dilation'),noptp('50693','50706')])
I(2,'terse','inclusion',"TURBT 52234 + DVIU for stricture - billable?",'included',['52234'],INC,[item('52234','inc','urethrotomy'),ptp('52234','52276')])
I(2,'shorthand','inclusion',"neph tube exchange 50435, they shot contrast thru the tube to check position. separate?",'included',['50435'],INC,
  [item('nephrostomy-exchange-includes-nephrostogram','inc','nephrostogram'),ptp('50435','50431',1)])
I(2,'case_note','inclusion',"Cysto with calibration and dilation of a bulbar stricture to 24 Fr (52281), then 40 mg kenalog injected into the scar at 4 sites. Can the steroid injection be coded?",
  'included',['52281'],INC,[item('52281','inc','triamcinolone'),ptp('52281','52283')])
I(2,'terse','inclusion',"ESWL 50590 then cysto JJ placed same side, stent billable?",'separate',['50590','52332'],SEP,[item('50590','sep','stent'),ptp('50590','52332',deleted=True)])
I(2,'shorthand','inclusion',"botox bladder 52287 - is the botox itself part of 52287?",'not_stated',['52287'],['botox','botulinum','drug'],
  [rec('52287'),"52287 record lists no drug-supply item; "+noptp('52287','J0585')])
I(2,'formal','inclusion',"Is the dipstick urinalysis (81002) done just before an office cystoscopy (52000) separately billable, or is it part of the procedure?",'not_stated',['52000','81002'],['urinalysis','dipstick','81002'],
  [rec('52000'),"no record or policy names urinalysis; "+noptp('52000','81002')])
I(2,'typo','inclusion',"AUS insertion 53445 w/ tandem cuf placed too, can the 2nd cuff be coded?",'included',['53445'],INC,[item('53445','inc','tandem'),ptp('53445','53444',0)])
