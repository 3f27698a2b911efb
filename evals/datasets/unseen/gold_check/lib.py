import sqlite3, yaml, glob, os, json
HERE=os.path.dirname(os.path.abspath(__file__))
os.chdir(os.path.join(HERE,'..','..','..','..'))
DB=sqlite3.connect('file:data/rules/rules.sqlite?mode=ro',uri=True)
PTPF='ncci_ptp_practitioner_2024-07-01_all.tsv.gz'; MUEF='ncci_mue_2024-07-01_all.tsv.gz'
AOCF='ncci_addon_code_edits_2024-06-03_all.tsv.gz'; RVUF='pprrvu2025_oct_all_no_descriptors.csv.gz'
REC={}
for f in glob.glob('knowledge/**/*.md',recursive=True):
    d=yaml.safe_load(open(f).read().split('---')[1]); REC[str(d.get('code') or d.get('policy_id'))]=(f,d)
def item(code, kind, sub, codes_has=None):
    f,d=REC[code]; key={'inc':'includes','sep':'reported_separately'}[kind]
    for it in d.get(key) or []:
        txt=(it['service']+' '+' '.join(it.get('aliases',[]))).lower()
        if sub.lower() in txt and (codes_has is None or codes_has in it.get('codes',[])):
            c=it.get('codes',[])
            cs=(c[:8]+['...']) if len(c)>8 else c
            return f"{f} {key}: '{it['service']}'" + (f" {cs}" if c else '')
    raise AssertionError(f'no {key} item {sub!r} in {code}')
def ptp(c1,c2,mod=None,deleted=False):
    rows=DB.execute("select deletion,modifier,line from ptp where source=1 and col1=? and col2=? order by line",(c1,c2)).fetchall()
    act=[r for r in rows if r[0] is None]
    if deleted:
        assert rows and not act, (c1,c2,rows); r=rows[-1]
        return f"{PTPF} line {r[2]}: {c1}/{c2} deleted {r[0]}, no active edit"
    assert act, ('no active ptp',c1,c2)
    r=act[-1]
    if mod is not None: assert r[1]==str(mod),(c1,c2,r)
    return f"{PTPF} line {r[2]}: {c1}/{c2} active, modifier indicator {r[1]}"
def noptp(a,b):
    rows=DB.execute("select * from ptp where source=1 and ((col1=? and col2=?) or (col1=? and col2=?)) and deletion is null",(a,b,b,a)).fetchall()
    assert not rows,(a,b,rows); return f"{PTPF}: no active edit between {a} and {b}"
FIELDS={'glob':'glob_days','mult':'mult_proc','bilat':'bilat_surg','base':'endo_base','status':'status'}
def rvu(code, field, val):
    r=DB.execute(f"select {FIELDS[field]},line from rvu where code=?",(code,)).fetchone()
    assert r and r[0]==val,(code,field,val,r)
    return f"{RVUF} line {r[1]}: {code} {FIELDS[field].upper()}={val}"
def mue(code, units):
    r=DB.execute("select units,mai,line from mue where source=4 and code=?",(code,)).fetchone()
    assert r and r[0]==units,(code,units,r)
    return f"{MUEF} line {r[2]} (practitioner): {code} MUE {units} unit(s), MAI {r[1]}"
def aoc(addon, prim):
    r=DB.execute("select line from aoc where addon=? and primary_code=? and deletion is null",(addon,prim)).fetchone()
    assert r,(addon,prim); return f"{AOCF} line {r[0]}: add-on {addon} with primary {prim}"
def rec(code, what=None):
    f,d=REC[code]
    if what: 
        v=d.get(what); assert v, (code,what); return f"{f} {what}: {v}"
    return f"{f} title: '{d['title']}'"
def norec(code):
    assert code not in REC, code; return f"no record for {code} in knowledge/ (external_codes.yaml range only)"
