//! Normalization engine (`analysis::normalize`) and the `crowfoot fd` / `crowfoot normalize`
//! commands.
//!
//! Textbook tests cite the book, edition, chapter and exercise/example. Exercise numbers are
//! given as best known; every expected answer is also re-derived by hand in the test's doc
//! comment, so a numbering slip does not make an assertion wrong. Property tests compare the
//! engine with brute-force definitions (closures over all subsets, n ≤ 10).

#[path = "support/run.rs"]
mod run;
use run::crowfoot_in_repo as crowfoot;

use crowfoot::analysis::normalize::parse::{
    Dependency, parse_attr_list, parse_dependency, quote_name,
};
use crowfoot::analysis::normalize::{
    Analysis, AttrSet, Fd, FdSet, Mvd, NormalForm, Options, Schema, analyze, decompose, keys,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

type Names = BTreeSet<String>;

/// Analyze `attrs` ("A,B,C") under dependency texts (FDs and MVDs).
fn rel(attrs: &str, deps: &[&str]) -> Analysis {
    let schema = Schema::new(parse_attr_list(attrs).unwrap()).unwrap();
    let mut fds = Vec::new();
    let mut mvds = Vec::new();
    for d in deps {
        match parse_dependency(&schema, d).unwrap_or_else(|e| panic!("{d}: {e}")) {
            Dependency::Fd(f) => fds.push(f),
            Dependency::Mvd(m) => mvds.push(m),
        }
    }
    analyze(schema, fds, mvds, &Options::default())
}

fn names(a: &Analysis, s: &AttrSet) -> Names {
    a.schema.names_of(s).into_iter().collect()
}

/// `["A,B", "C"]` as a set of attribute sets.
fn sets(list: &[&str]) -> BTreeSet<Names> {
    list.iter()
        .map(|s| parse_attr_list(s).unwrap().into_iter().collect())
        .collect()
}

fn keys_of(a: &Analysis) -> BTreeSet<Names> {
    a.keys.keys.iter().map(|k| names(a, k)).collect()
}

fn comps(a: &Analysis, d: &[AttrSet]) -> BTreeSet<Names> {
    d.iter().map(|c| names(a, c)).collect()
}

/// The cover as `"A,B->C"` strings (singleton right sides).
fn cover_of(a: &Analysis) -> BTreeSet<String> {
    a.cover
        .iter()
        .map(|f| {
            format!(
                "{}->{}",
                a.schema.names_of(&f.lhs).join(","),
                a.schema.names_of(&f.rhs).join(",")
            )
        })
        .collect()
}

fn strs(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn fd(a: &Analysis, text: &str) -> Fd {
    match parse_dependency(&a.schema, text).unwrap() {
        Dependency::Fd(f) => f,
        Dependency::Mvd(_) => panic!("not an FD"),
    }
}

/// Violations as (violated form, `lhs->rhs`).
fn violations(a: &Analysis) -> BTreeSet<(NormalForm, String)> {
    a.nf.violations
        .iter()
        .map(|v| {
            (
                v.violates,
                format!(
                    "{}->{}",
                    a.schema.names_of(&v.lhs).join(","),
                    a.schema.names_of(&v.rhs).join(",")
                ),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Elmasri & Navathe, Fundamentals of Database Systems, 7th ed., chapters 14–15.

/// Elmasri & Navathe, 7th ed., ch. 14, Exercise 14.24: R = {A..J},
/// F = {AB → C, A → DE, B → F, F → GH, D → IJ}. "What is the key for R? Decompose R into 2NF
/// and then 3NF relations." Book answer: key {A, B}; 3NF relations R1(A,B,C), R2(A,D,E),
/// R3(D,I,J), R4(B,F), R5(F,G,H).
/// By hand: A and B appear on no right side, and AB⁺ = ABCDEFGHIJ, so AB is the only key;
/// A → DE is a partial dependency (1NF only).
#[test]
fn elmasri_ex_14_24_key_and_3nf() {
    let a = rel(
        "A,B,C,D,E,F,G,H,I,J",
        &["A,B->C", "A->D,E", "B->F", "F->G,H", "D->I,J"],
    );
    assert_eq!(keys_of(&a), sets(&["A,B"]));
    assert_eq!(a.nf.normal_form, NormalForm::First);
    assert_eq!(
        comps(&a, &a.synthesis.components),
        sets(&["A,B,C", "A,D,E", "D,I,J", "B,F", "F,G,H"])
    );
    assert!(a.synthesis.lossless && a.synthesis.lost.is_empty());
}

/// Elmasri & Navathe, 7th ed., ch. 14, Exercise 14.25: Exercise 14.24 with
/// G = {AB → C, BD → EF, AD → GH, A → I, H → J}.
/// By hand: A, B, D are on no right side and ABD⁺ = everything, so {A, B, D} is the only key;
/// A → I is partial (1NF). 3NF synthesis: one schema per left side (AI, ABC, ADGH, BDEF, HJ),
/// none holds the key ABD, so ABD is added.
#[test]
fn elmasri_ex_14_25_key_and_3nf() {
    let a = rel(
        "A,B,C,D,E,F,G,H,I,J",
        &["A,B->C", "B,D->E,F", "A,D->G,H", "A->I", "H->J"],
    );
    assert_eq!(keys_of(&a), sets(&["A,B,D"]));
    assert_eq!(a.nf.normal_form, NormalForm::First);
    assert_eq!(
        comps(&a, &a.synthesis.components),
        sets(&["A,I", "A,B,C", "A,D,G,H", "B,D,E,F", "H,J", "A,B,D"])
    );
    assert!(a.synthesis.lossless && a.synthesis.lost.is_empty());
}

/// Elmasri & Navathe, 7th ed., §14.3.4, Figure 14.11(a): EMP_PROJ(Ssn, Pnumber, Hours,
/// Ename, Pname, Plocation) with FD1 {Ssn, Pnumber} → Hours, FD2 Ssn → Ename,
/// FD3 Pnumber → {Pname, Plocation}. Not in 2NF (FD2, FD3 are partial); 2NF decomposition
/// EP1(Ssn, Pnumber, Hours), EP2(Ssn, Ename), EP3(Pnumber, Pname, Plocation).
#[test]
fn elmasri_emp_proj_not_2nf() {
    let a = rel(
        "Ssn,Pnumber,Hours,Ename,Pname,Plocation",
        &[
            "Ssn,Pnumber->Hours",
            "Ssn->Ename",
            "Pnumber->Pname,Plocation",
        ],
    );
    assert_eq!(keys_of(&a), sets(&["Ssn,Pnumber"]));
    assert_eq!(a.nf.normal_form, NormalForm::First);
    let v = violations(&a);
    for f in ["Ssn->Ename", "Pnumber->Pname", "Pnumber->Plocation"] {
        assert!(v.contains(&(NormalForm::Second, f.into())), "{f}: {v:?}");
    }
    assert_eq!(
        comps(&a, &a.synthesis.components),
        sets(&["Ssn,Pnumber,Hours", "Ssn,Ename", "Pnumber,Pname,Plocation"])
    );
}

/// Elmasri & Navathe, 7th ed., §14.3.5, Figure 14.11(b): EMP_DEPT(Ename, Ssn, Bdate,
/// Address, Dnumber, Dname, Dmgr_ssn), Ssn → {Ename, Bdate, Address, Dnumber},
/// Dnumber → {Dname, Dmgr_ssn}. In 2NF, not 3NF (Ssn → Dnumber → Dmgr_ssn is transitive);
/// 3NF decomposition ED1(Ename, Ssn, Bdate, Address, Dnumber), ED2(Dnumber, Dname, Dmgr_ssn).
#[test]
fn elmasri_emp_dept_transitive() {
    let a = rel(
        "Ename,Ssn,Bdate,Address,Dnumber,Dname,Dmgr_ssn",
        &[
            "Ssn->Ename,Bdate,Address,Dnumber",
            "Dnumber->Dname,Dmgr_ssn",
        ],
    );
    assert_eq!(keys_of(&a), sets(&["Ssn"]));
    assert_eq!(a.nf.normal_form, NormalForm::Second);
    let v = violations(&a);
    assert!(
        v.contains(&(NormalForm::Third, "Dnumber->Dmgr_ssn".into())),
        "{v:?}"
    );
    let r = a.report();
    let why = &r
        .violations
        .iter()
        .find(|v| v.fd == "Dnumber -> Dmgr_ssn")
        .unwrap()
        .why;
    assert!(
        why.starts_with("Ssn → Dnumber, and Dnumber → Dmgr_ssn, so Dmgr_ssn depends on the key only transitively: 3NF is violated"),
        "{why}"
    );
    assert_eq!(
        comps(&a, &a.synthesis.components),
        sets(&["Ename,Ssn,Bdate,Address,Dnumber", "Dnumber,Dname,Dmgr_ssn"])
    );
    assert_eq!(
        comps(&a, &a.bcnf.components),
        comps(&a, &a.synthesis.components)
    );
}

/// Elmasri & Navathe, 7th ed., §14.4, Figure 14.12: LOTS(Property_id, County_name, Lot,
/// Area, Price, Tax_rate) with FD1 Property_id → all, FD2 {County_name, Lot} → Property_id,
/// Area, Price, Tax_rate, FD3 County_name → Tax_rate, FD4 Area → Price. Candidate keys
/// Property_id and {County_name, Lot}; FD3 violates 2NF (County_name is part of a key),
/// FD4 violates 3NF.
#[test]
fn elmasri_lots() {
    let a = rel(
        "Property_id,County_name,Lot,Area,Price,Tax_rate",
        &[
            "Property_id->County_name,Lot,Area,Price,Tax_rate",
            "County_name,Lot->Property_id,Area,Price,Tax_rate",
            "County_name->Tax_rate",
            "Area->Price",
        ],
    );
    assert_eq!(keys_of(&a), sets(&["Property_id", "County_name,Lot"]));
    assert_eq!(a.nf.normal_form, NormalForm::First);
    let v = violations(&a);
    assert!(v.contains(&(NormalForm::Second, "County_name->Tax_rate".into())));
    assert!(v.contains(&(NormalForm::Third, "Area->Price".into())));
}

/// Elmasri & Navathe, 7th ed., §14.5, Figure 14.13: LOTS1A(Property_id, County_name, Lot,
/// Area) with FD1, FD2 and FD5 Area → County_name is in 3NF but not BCNF (County_name is
/// prime). By hand the keys are Property_id, {County_name, Lot} and also {Area, Lot}
/// (Area → County_name, then {County_name, Lot} → Property_id).
#[test]
fn elmasri_lots1a_3nf_not_bcnf() {
    let a = rel(
        "Property_id,County_name,Lot,Area",
        &[
            "Property_id->County_name,Lot,Area",
            "County_name,Lot->Property_id,Area",
            "Area->County_name",
        ],
    );
    assert_eq!(
        keys_of(&a),
        sets(&["Property_id", "County_name,Lot", "Lot,Area"])
    );
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    assert_eq!(
        violations(&a),
        BTreeSet::from([(NormalForm::Bcnf, "Area->County_name".to_string())])
    );
}

/// Elmasri & Navathe, 7th ed., §14.5, Figure 14.14: TEACH(Student, Course, Instructor),
/// FD1 {Student, Course} → Instructor, FD2 Instructor → Course. 3NF, not BCNF; the book's
/// preferred decomposition is {Instructor, Course} and {Instructor, Student}, which is
/// lossless but loses FD1.
#[test]
fn elmasri_teach_bcnf_loses_fd1() {
    let a = rel(
        "Student,Course,Instructor",
        &["Student,Course->Instructor", "Instructor->Course"],
    );
    assert_eq!(keys_of(&a), sets(&["Student,Course", "Student,Instructor"]));
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    assert_eq!(
        comps(&a, &a.bcnf.components),
        sets(&["Instructor,Course", "Instructor,Student"])
    );
    assert!(a.bcnf.lossless);
    assert_eq!(a.bcnf.lost, vec![fd(&a, "Student,Course->Instructor")]);
}

/// Elmasri & Navathe, 7th ed., §15.1.3, Example 1 (minimal cover): E = {B → A, D → A,
/// AB → D}; minimal cover {B → D, D → A}. By hand: A is extraneous in AB → D (B⁺ ∋ A), giving
/// B → D; then B → A is redundant (B → D → A).
#[test]
fn elmasri_minimal_cover_example_1() {
    let a = rel("A,B,D", &["B->A", "D->A", "A,B->D"]);
    assert_eq!(cover_of(&a), strs(&["B->D", "D->A"]));
}

/// Elmasri & Navathe, 7th ed., §15.1.3, Example 2 (minimal cover): G = {A → BCDE, CD → E};
/// minimal cover {A → B, A → C, A → D, CD → E}. By hand: A → E is redundant
/// (A → C, A → D, CD → E); nothing else is.
#[test]
fn elmasri_minimal_cover_example_2() {
    let a = rel("A,B,C,D,E", &["A->B,C,D,E", "C,D->E"]);
    assert_eq!(cover_of(&a), strs(&["A->B", "A->C", "A->D", "C,D->E"]));
}

/// Elmasri & Navathe, 7th ed., §14.2.4 (equivalence of sets of FDs): F = {A → C, AC → D,
/// E → AD, E → H} and G = {A → CD, E → AH} are equivalent. By hand: under F, A⁺ = ACD and
/// E⁺ = EADHC cover G; under G, A⁺ = ACD and E⁺ = EAHCD cover F.
#[test]
fn elmasri_equivalent_fd_sets() {
    let s = Schema::new(["A", "C", "D", "E", "H"]).unwrap();
    let p = |t: &str| match parse_dependency(&s, t).unwrap() {
        Dependency::Fd(f) => f,
        _ => unreachable!(),
    };
    let f = FdSet::new(5, ["A->C", "A,C->D", "E->A,D", "E->H"].map(p).to_vec());
    let g = FdSet::new(5, ["A->C,D", "E->A,H"].map(p).to_vec());
    assert!(f.equivalent(&g));
    let g2 = FdSet::new(5, ["A->C", "E->A,H"].map(p).to_vec());
    assert!(!f.equivalent(&g2), "without A -> D they differ");
}

/// Elmasri & Navathe, 7th ed., §14.6, Figure 14.15: EMP(Ename, Pname, Dname) with
/// Ename ↠ Pname and Ename ↠ Dname: all-key, hence BCNF, but not 4NF; 4NF decomposition
/// EMP_PROJECTS(Ename, Pname), EMP_DEPENDENTS(Ename, Dname).
#[test]
fn elmasri_emp_mvd_not_4nf() {
    let a = rel("Ename,Pname,Dname", &["Ename->>Pname", "Ename->>Dname"]);
    assert_eq!(keys_of(&a), sets(&["Ename,Pname,Dname"]));
    assert_eq!(a.nf.normal_form, NormalForm::Bcnf);
    assert_eq!(a.nf.fourth_nf, Some(false));
    let v = violations(&a);
    assert!(v.contains(&(NormalForm::Fourth, "Ename->Pname".into())));
    let r = a.report();
    let d = r
        .violations
        .iter()
        .find(|v| v.fd == "Ename ->> Dname")
        .expect("Ename ->> Dname reported");
    assert!(d.why.contains("4NF is violated"), "{}", d.why);
}

/// Elmasri & Navathe, 7th ed., §14.1.4, Figure 14.5: decomposing EMP_PROJ into
/// EMP_LOCS(Ename, Plocation) and EMP_PROJ1(Ssn, Pnumber, Hours, Pname, Plocation) produces
/// spurious tuples (lossy): Plocation, the only common attribute, is a key of neither part.
#[test]
fn elmasri_emp_locs_lossy() {
    let a = rel(
        "Ssn,Pnumber,Hours,Ename,Pname,Plocation",
        &[
            "Ssn,Pnumber->Hours",
            "Ssn->Ename",
            "Pnumber->Pname,Plocation",
        ],
    );
    let s = &a.schema;
    let parts = [
        s.set_of(["Ename", "Plocation"]).unwrap(),
        s.set_of(["Ssn", "Pnumber", "Hours", "Pname", "Plocation"])
            .unwrap(),
    ];
    assert!(!decompose::lossless_join(&a.fds, &parts));
    // While the 2NF decomposition of Figure 14.11 is lossless.
    let good = [
        s.set_of(["Ssn", "Pnumber", "Hours"]).unwrap(),
        s.set_of(["Ssn", "Ename"]).unwrap(),
        s.set_of(["Pnumber", "Pname", "Plocation"]).unwrap(),
    ];
    assert!(decompose::lossless_join(&a.fds, &good));
}

// ---------------------------------------------------------------------------------------
// Silberschatz, Korth & Sudarshan, Database System Concepts, 7th ed., chapter 7.

/// Silberschatz et al., 7th ed., §7.4.1 (closure of attribute sets): R = (A, B, C, G, H, I),
/// F = {A → B, A → C, CG → H, CG → I, B → H}; (AG)⁺ = ABCGHI, so AG is a superkey, and a key
/// since neither A⁺ nor G⁺ is everything; F implies A → H.
/// By hand: A and G are on no right side, so AG is the only key; A → B is then partial.
#[test]
fn silberschatz_closure_ag() {
    let a = rel("A,B,C,G,H,I", &["A->B", "A->C", "C,G->H", "C,G->I", "B->H"]);
    let ag = a.schema.set_of(["A", "G"]).unwrap();
    assert!(a.fds.closure(&ag).is_full());
    assert!(a.fds.implies(&fd(&a, "A->H")));
    assert!(!a.fds.implies(&fd(&a, "A->G")));
    assert_eq!(keys_of(&a), sets(&["A,G"]));
    assert_eq!(a.nf.normal_form, NormalForm::First);
}

/// Silberschatz et al., 7th ed., §7.4.3 (canonical cover example): R = (A, B, C),
/// F = {A → BC, B → C, A → B, AB → C}; canonical cover {A → B, B → C}.
#[test]
fn silberschatz_canonical_cover() {
    let a = rel("A,B,C", &["A->B,C", "B->C", "A->B", "A,B->C"]);
    assert_eq!(cover_of(&a), strs(&["A->B", "B->C"]));
    assert!(a.fds.equivalent(&FdSet::new(3, a.cover.clone())));
}

/// Silberschatz et al., 7th ed., §7.3.2 (3NF): dept_advisor(s_ID, i_ID, dept_name) with
/// i_ID → dept_name and s_ID, dept_name → i_ID is in 3NF (dept_name is prime) but not BCNF.
/// Keys {s_ID, dept_name} and {s_ID, i_ID}.
#[test]
fn silberschatz_dept_advisor() {
    let a = rel(
        "s_ID,i_ID,dept_name",
        &["i_ID->dept_name", "s_ID,dept_name->i_ID"],
    );
    assert_eq!(keys_of(&a), sets(&["s_ID,dept_name", "s_ID,i_ID"]));
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    let r = a.report();
    assert_eq!(r.violations.len(), 1);
    assert_eq!(r.violations[0].fd, "i_ID -> dept_name");
    assert_eq!(r.violations[0].violates, NormalForm::Bcnf);
}

/// Silberschatz et al., 7th ed., §7.5.1.2 (BCNF decomposition example): class(course_id,
/// title, dept_name, credits, sec_id, semester, year, building, room_number, capacity,
/// time_slot_id) with course_id → title, dept_name, credits; building, room_number →
/// capacity; course_id, sec_id, semester, year → building, room_number, time_slot_id.
/// Key {course_id, sec_id, semester, year}; result course(course_id, title, dept_name,
/// credits), classroom(building, room_number, capacity), section(course_id, sec_id,
/// semester, year, building, room_number, time_slot_id).
#[test]
fn silberschatz_class_bcnf() {
    let a = rel(
        "course_id,title,dept_name,credits,sec_id,semester,year,building,room_number,capacity,time_slot_id",
        &[
            "course_id->title,dept_name,credits",
            "building,room_number->capacity",
            "course_id,sec_id,semester,year->building,room_number,time_slot_id",
        ],
    );
    assert_eq!(keys_of(&a), sets(&["course_id,sec_id,semester,year"]));
    assert_eq!(
        comps(&a, &a.bcnf.components),
        sets(&[
            "course_id,title,dept_name,credits",
            "building,room_number,capacity",
            "course_id,sec_id,semester,year,building,room_number,time_slot_id"
        ])
    );
    assert!(a.bcnf.lossless && a.bcnf.lost.is_empty() && a.bcnf.exhaustive);
}

/// Silberschatz et al., 7th ed., §7.5.2 (3NF synthesis example): cust_banker_branch(
/// customer_id, employee_id, branch_name, type) with customer_id, employee_id →
/// branch_name, type; employee_id → branch_name; customer_id, branch_name → employee_id.
/// Result: (customer_id, employee_id, type) and (customer_id, branch_name, employee_id);
/// (employee_id, branch_name) is dropped as contained in the latter.
#[test]
fn silberschatz_cust_banker_branch_3nf() {
    let a = rel(
        "customer_id,employee_id,branch_name,type",
        &[
            "customer_id,employee_id->branch_name,type",
            "employee_id->branch_name",
            "customer_id,branch_name->employee_id",
        ],
    );
    assert_eq!(
        cover_of(&a),
        strs(&[
            "customer_id,employee_id->type",
            "employee_id->branch_name",
            "customer_id,branch_name->employee_id"
        ])
    );
    assert_eq!(
        comps(&a, &a.synthesis.components),
        sets(&[
            "customer_id,employee_id,type",
            "customer_id,branch_name,employee_id"
        ])
    );
}

const SKS_R: &str = "A,B,C,D,E";
const SKS_F: [&str; 4] = ["A->B,C", "C,D->E", "B->D", "E->A"];

/// Silberschatz et al., 7th ed., ch. 7 Practice Exercises 7.1 and the closure/keys exercise
/// on the same schema: R = (A, B, C, D, E), F = {A → BC, CD → E, B → D, E → A}. Candidate
/// keys A, E, CD, BC. By hand: A⁺ = E⁺ = CD⁺ = BC⁺ = ABCDE, while B⁺ = BD and no single
/// attribute other than A, E is a key. Every attribute is prime, so R is in 3NF; B → D
/// breaks BCNF. F is its own canonical cover.
#[test]
fn silberschatz_practice_keys_and_nf() {
    let a = rel(SKS_R, &SKS_F);
    assert_eq!(keys_of(&a), sets(&["A", "E", "C,D", "B,C"]));
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    assert_eq!(
        cover_of(&a),
        strs(&["A->B", "A->C", "C,D->E", "B->D", "E->A"])
    );
}

/// Silberschatz et al., 7th ed., Practice Exercise 7.1: (A, B, C), (A, D, E) is lossless
/// (A → ABC: the common attribute is a key of the first part); and the follow-up exercise:
/// (A, B, C), (C, D, E) is not lossless (C⁺ = C).
#[test]
fn silberschatz_practice_lossless() {
    let a = rel(SKS_R, &SKS_F);
    let s = &a.schema;
    let p = |x: &[&str]| s.set_of(x.iter().copied()).unwrap();
    assert!(decompose::lossless_join(
        &a.fds,
        &[p(&["A", "B", "C"]), p(&["A", "D", "E"])]
    ));
    assert!(!decompose::lossless_join(
        &a.fds,
        &[p(&["A", "B", "C"]), p(&["C", "D", "E"])]
    ));
}

/// Silberschatz et al., 7th ed., ch. 7 Practice Exercises (same R, F): a lossless BCNF
/// decomposition is (B, D), (A, B, C, E) — B → D is the only violation; ABCE has keys A, E,
/// BC and is in BCNF. A 3NF decomposition is (A, B, C), (C, D, E), (B, D), (E, A): one schema
/// per FD of the canonical cover, and ABC already holds the key A.
#[test]
fn silberschatz_practice_bcnf_and_3nf() {
    let a = rel(SKS_R, &SKS_F);
    assert_eq!(comps(&a, &a.bcnf.components), sets(&["B,D", "A,B,C,E"]));
    assert!(a.bcnf.lossless);
    assert_eq!(
        comps(&a, &a.synthesis.components),
        sets(&["A,B,C", "C,D,E", "B,D", "E,A"])
    );
    assert!(a.synthesis.lost.is_empty());
}

// ---------------------------------------------------------------------------------------
// Ramakrishnan & Gehrke, Database Management Systems, 3rd ed., chapter 19.

/// Ramakrishnan & Gehrke, 3rd ed., ch. 19, Exercise 19.2: R = ABCDE, A → B, BC → E,
/// ED → A. Keys CDE, ACD, BCD; R is in 3NF (every attribute is prime) but not BCNF.
/// By hand: C and D are on no right side; CD⁺ = CD; CDA⁺, CDB⁺, CDE⁺ are all of R.
#[test]
fn rg_ex_19_2() {
    let a = rel("A,B,C,D,E", &["A->B", "B,C->E", "E,D->A"]);
    assert_eq!(keys_of(&a), sets(&["C,D,E", "A,C,D", "B,C,D"]));
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    assert!(
        a.nf.violations
            .iter()
            .all(|v| v.violates == NormalForm::Bcnf)
    );
}

/// Ramakrishnan & Gehrke, 3rd ed., ch. 19, Exercise 19.7 (R = ABCD, five FD sets), set 1:
/// C → D, C → A, B → C. Key B; 2NF (C → D is transitive). BCNF decomposition by hand with
/// the standard algorithm: C⁺ = CAD splits R into ACD and BC, both in BCNF (the book's
/// AC, CD, BC is the same split carried one step further).
#[test]
fn rg_ex_19_7_1() {
    let a = rel("A,B,C,D", &["C->D", "C->A", "B->C"]);
    assert_eq!(keys_of(&a), sets(&["B"]));
    assert_eq!(a.nf.normal_form, NormalForm::Second);
    assert_eq!(comps(&a, &a.bcnf.components), sets(&["A,C,D", "B,C"]));
    assert!(a.bcnf.lossless && a.bcnf.lost.is_empty());
}

/// Ramakrishnan & Gehrke, 3rd ed., Exercise 19.7, set 2: B → C, D → A. Key BD; 1NF
/// (both FDs are partial). BCNF: BC, AD, BD.
#[test]
fn rg_ex_19_7_2() {
    let a = rel("A,B,C,D", &["B->C", "D->A"]);
    assert_eq!(keys_of(&a), sets(&["B,D"]));
    assert_eq!(a.nf.normal_form, NormalForm::First);
    assert_eq!(comps(&a, &a.bcnf.components), sets(&["B,C", "A,D", "B,D"]));
}

/// Ramakrishnan & Gehrke, 3rd ed., Exercise 19.7, set 3: ABC → D, D → A. Keys ABC, BCD;
/// 3NF, not BCNF. BCNF: AD, BCD (ABC → D is lost).
#[test]
fn rg_ex_19_7_3() {
    let a = rel("A,B,C,D", &["A,B,C->D", "D->A"]);
    assert_eq!(keys_of(&a), sets(&["A,B,C", "B,C,D"]));
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    assert_eq!(comps(&a, &a.bcnf.components), sets(&["A,D", "B,C,D"]));
    assert_eq!(a.bcnf.lost, vec![fd(&a, "A,B,C->D")]);
}

/// Ramakrishnan & Gehrke, 3rd ed., Exercise 19.7, set 4: A → B, BC → D, A → C. Key A; 2NF
/// (BC → D transitive). BCNF: ABC, BCD.
#[test]
fn rg_ex_19_7_4() {
    let a = rel("A,B,C,D", &["A->B", "B,C->D", "A->C"]);
    assert_eq!(keys_of(&a), sets(&["A"]));
    assert_eq!(a.nf.normal_form, NormalForm::Second);
    assert_eq!(comps(&a, &a.bcnf.components), sets(&["A,B,C", "B,C,D"]));
}

/// Ramakrishnan & Gehrke, 3rd ed., Exercise 19.7, set 5: AB → C, AB → D, C → A, D → B.
/// Keys AB, BC, CD, AD (by hand: C⁺ = CA, D⁺ = DB, and each listed pair reaches ABCD);
/// 3NF, not BCNF. BCNF: C → A gives AC and BCD, then D → B gives BD and CD.
#[test]
fn rg_ex_19_7_5() {
    let a = rel("A,B,C,D", &["A,B->C", "A,B->D", "C->A", "D->B"]);
    assert_eq!(keys_of(&a), sets(&["A,B", "B,C", "C,D", "A,D"]));
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    assert_eq!(comps(&a, &a.bcnf.components), sets(&["A,C", "B,D", "C,D"]));
    assert!(a.bcnf.lossless);
}

/// Ramakrishnan & Gehrke, 3rd ed., ch. 19, Exercise 19.9 (FD part): R = ABCDE with
/// A → BC, BC → E, E → DA is in BCNF (keys A, BC, E: every left side is a key); S = ABCDE
/// with A → BC, B → E, E → DA is in BCNF too (keys A, B, E).
#[test]
fn rg_ex_19_9_bcnf() {
    let r = rel("A,B,C,D,E", &["A->B,C", "B,C->E", "E->D,A"]);
    assert_eq!(keys_of(&r), sets(&["A", "B,C", "E"]));
    assert_eq!(r.nf.normal_form, NormalForm::Bcnf);
    assert_eq!(comps(&r, &r.bcnf.components), sets(&["A,B,C,D,E"]));
    let s = rel("A,B,C,D,E", &["A->B,C", "B->E", "E->D,A"]);
    assert_eq!(keys_of(&s), sets(&["A", "B", "E"]));
    assert_eq!(s.nf.normal_form, NormalForm::Bcnf);
}

// ---------------------------------------------------------------------------------------
// Garcia-Molina, Ullman & Widom, Database Systems: The Complete Book, 2nd ed., chapter 3.

/// Garcia-Molina et al., 2nd ed., §3.2, Exercise 3.2.1: R(A, B, C, D) with AB → C, C → D,
/// D → A. Keys AB, BC, BD (B is on no right side; B⁺ = B; AB⁺ = BC⁺ = BD⁺ = ABCD).
#[test]
fn gmuw_ex_3_2_1_keys() {
    let a = rel("A,B,C,D", &["A,B->C", "C->D", "D->A"]);
    assert_eq!(keys_of(&a), sets(&["A,B", "B,C", "B,D"]));
    // Exercise 3.3.1(a): C → D and D → A violate BCNF (all attributes are prime: 3NF).
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    let v = violations(&a);
    assert!(v.contains(&(NormalForm::Bcnf, "C->D".into())));
    assert!(v.contains(&(NormalForm::Bcnf, "D->A".into())));
}

/// Garcia-Molina et al., 2nd ed., Exercise 3.3.1(b)–(d) on R(A, B, C, D):
/// (b) B → C, B → D: key AB, both FDs violate BCNF (and 2NF); decomposition ABCD →
///     BCD, AB. (c) AB → C, BC → D, CD → A, AD → B: keys AB, BC, CD, AD, BCNF.
/// (d) A → B, B → C, C → D, D → A: keys A, B, C, D, BCNF.
#[test]
fn gmuw_ex_3_3_1_b_c_d() {
    let b = rel("A,B,C,D", &["B->C", "B->D"]);
    assert_eq!(keys_of(&b), sets(&["A,B"]));
    assert_eq!(b.nf.normal_form, NormalForm::First);
    assert_eq!(comps(&b, &b.bcnf.components), sets(&["B,C,D", "A,B"]));
    let c = rel("A,B,C,D", &["A,B->C", "B,C->D", "C,D->A", "A,D->B"]);
    assert_eq!(keys_of(&c), sets(&["A,B", "B,C", "C,D", "A,D"]));
    assert_eq!(c.nf.normal_form, NormalForm::Bcnf);
    let d = rel("A,B,C,D", &["A->B", "B->C", "C->D", "D->A"]);
    assert_eq!(keys_of(&d), sets(&["A", "B", "C", "D"]));
    assert_eq!(d.nf.normal_form, NormalForm::Bcnf);
    assert!(d.nf.violations.is_empty());
}

/// Garcia-Molina et al., 2nd ed., Exercise 3.3.1(e)–(f) on R(A, B, C, D, E):
/// (e) AB → C, DE → C, B → D: the only key is ABE (A, B, E are on no right side), every
///     FD violates BCNF; AB → C is partial (1NF).
/// (f) AB → C, C → D, D → B, D → E: keys AB, AC, AD; D → E is partial (E non-prime,
///     D inside the key AD), so 1NF.
#[test]
fn gmuw_ex_3_3_1_e_f() {
    let e = rel("A,B,C,D,E", &["A,B->C", "D,E->C", "B->D"]);
    assert_eq!(keys_of(&e), sets(&["A,B,E"]));
    assert_eq!(e.nf.normal_form, NormalForm::First);
    let f = rel("A,B,C,D,E", &["A,B->C", "C->D", "D->B", "D->E"]);
    assert_eq!(keys_of(&f), sets(&["A,B", "A,C", "A,D"]));
    assert_eq!(f.nf.normal_form, NormalForm::First);
    assert!(violations(&f).contains(&(NormalForm::Second, "D->E".into())));
}

/// Garcia-Molina et al., 2nd ed., §3.3.2–3.3.4 (Example 3.15-ish, Movies1): Movies1(title,
/// year, length, genre, studioName, starName), title year → length genre studioName. Key
/// {title, year, starName}; BCNF decomposition {title, year, length, genre, studioName} and
/// {title, year, starName}.
#[test]
fn gmuw_movies1_bcnf() {
    let a = rel(
        "title,year,length,genre,studioName,starName",
        &["title,year->length,genre,studioName"],
    );
    assert_eq!(keys_of(&a), sets(&["title,year,starName"]));
    assert_eq!(
        comps(&a, &a.bcnf.components),
        sets(&["title,year,length,genre,studioName", "title,year,starName"])
    );
}

/// Garcia-Molina et al., 2nd ed., §3.5.3, the 3NF synthesis example: R(A, B, C, D, E) with
/// AB → C, C → B, A → D. Schemas ABC, BC, AD; BC is dropped (inside ABC); keys are ABE and
/// ACE and no schema holds one, so the key ABE is added: ABC, AD, ABE.
#[test]
fn gmuw_3nf_synthesis_example() {
    let a = rel("A,B,C,D,E", &["A,B->C", "C->B", "A->D"]);
    assert_eq!(keys_of(&a), sets(&["A,B,E", "A,C,E"]));
    assert_eq!(
        comps(&a, &a.synthesis.components),
        sets(&["A,B,C", "A,D", "A,B,E"])
    );
    assert!(a.synthesis.lossless && a.synthesis.lost.is_empty());
}

/// Garcia-Molina et al., 2nd ed., §3.4.2 (the chase example): R(A, B, C, D) decomposed into
/// {A, D}, {A, C}, {B, C, D} with A → B, B → C, CD → A is lossless. By hand: A → B equates
/// b's of rows 1–2, B → C then makes row 1's C distinguished, CD → A makes row 3 all
/// distinguished.
#[test]
fn gmuw_chase_example() {
    let a = rel("A,B,C,D", &["A->B", "B->C", "C,D->A"]);
    let s = &a.schema;
    let parts = [
        s.set_of(["A", "D"]).unwrap(),
        s.set_of(["A", "C"]).unwrap(),
        s.set_of(["B", "C", "D"]).unwrap(),
    ];
    assert!(decompose::lossless_join(&a.fds, &parts));
    // Without CD → A the third row never becomes distinguished.
    let b = rel("A,B,C,D", &["A->B", "B->C"]);
    assert!(!decompose::lossless_join(&b.fds, &parts));
}

/// Garcia-Molina et al., 2nd ed., §3.4.4 (why 3NF): Bookings(title, theater, city) with
/// theater → city and title city → theater. Keys {title, city}, {title, theater}; 3NF, not
/// BCNF; the BCNF decomposition {theater, city}, {theater, title} loses title city → theater.
#[test]
fn gmuw_bookings_dependency_lost() {
    let a = rel(
        "title,theater,city",
        &["theater->city", "title,city->theater"],
    );
    assert_eq!(keys_of(&a), sets(&["title,city", "title,theater"]));
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    assert_eq!(
        comps(&a, &a.bcnf.components),
        sets(&["theater,city", "theater,title"])
    );
    assert_eq!(a.bcnf.lost, vec![fd(&a, "title,city->theater")]);
    // The 3NF synthesis keeps everything in one relation.
    assert!(a.synthesis.lost.is_empty());
}

/// Garcia-Molina et al., 2nd ed., §3.6 (4NF): Stars(name, street, city, title, year) with
/// name ↠ street city and no nontrivial FDs: BCNF (all-key) but not 4NF.
#[test]
fn gmuw_stars_not_4nf() {
    let a = rel("name,street,city,title,year", &["name->>street,city"]);
    assert_eq!(keys_of(&a), sets(&["name,street,city,title,year"]));
    assert_eq!(a.nf.normal_form, NormalForm::Bcnf);
    assert_eq!(a.nf.fourth_nf, Some(false));
    // With name as a key the MVD is harmless.
    let b = rel(
        "name,street,city,title,year",
        &["name->>street,city", "name->street,city,title,year"],
    );
    assert_eq!(b.nf.fourth_nf, Some(true));
}

// ---------------------------------------------------------------------------------------
// Engine behaviour beyond the books.

/// The acceptance case: six pairs A_i ↔ B_i have 2^6 = 64 candidate keys (one of
/// each pair), reported exactly.
#[test]
fn sixty_four_keys() {
    let attrs: Vec<String> = (1..=6)
        .flat_map(|i| [format!("A{i}"), format!("B{i}")])
        .collect();
    let deps: Vec<String> = (1..=6)
        .flat_map(|i| [format!("A{i}->B{i}"), format!("B{i}->A{i}")])
        .collect();
    let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
    let a = rel(&attrs.join(","), &deps);
    assert_eq!(a.keys.keys.len(), 64);
    assert!(!a.keys.truncated);
    for k in &a.keys.keys {
        assert_eq!(k.len(), 6);
        for i in 0..6 {
            assert!(k.contains(2 * i) != k.contains(2 * i + 1));
        }
    }
    assert_eq!(a.nf.normal_form, NormalForm::Third);
    // A cap reports the first N and says so.
    let s = Schema::new(attrs.clone()).unwrap();
    let f = FdSet::new(s.len(), a.fds.fds().to_vec());
    let capped = keys::candidate_keys(&f, 10);
    assert_eq!(capped.keys.len(), 10);
    assert!(capped.truncated);
}

/// 2NF needs implied partial dependencies: R(A, B, C, D), A → B, B → A, AB → D. Keys AC and
/// BC; no given FD has a left side inside a key and a non-prime right side, yet A → D follows
/// (A → B, AB → D), so R is only in 1NF.
#[test]
fn implied_partial_dependency() {
    let a = rel("A,B,C,D", &["A->B", "B->A", "A,B->D"]);
    assert_eq!(keys_of(&a), sets(&["A,C", "B,C"]));
    assert_eq!(a.nf.normal_form, NormalForm::First);
    let r = a.report();
    let v = r
        .violations
        .iter()
        .find(|v| v.fd == "A -> D")
        .expect("A -> D reported");
    assert_eq!(v.violates, NormalForm::Second);
    assert!(v.implied);
    assert!(v.why.contains("implied"), "{}", v.why);
}

/// Located parse errors and the accepted syntax.
#[test]
fn parse_errors_are_located() {
    let s = Schema::new(["A", "B", "order id", "C"]).unwrap();
    let err = |t: &str| parse_dependency(&s, t).unwrap_err();
    assert_eq!(err("A,,B -> C").column, 3);
    assert_eq!(err("A B C").column, 6);
    assert_eq!(err("A -> ").column, 6);
    assert_eq!(err("-> A").column, 1);
    assert_eq!(err("A -> X").column, 6);
    assert!(err("A -> X").message.contains("unknown attribute X"));
    assert_eq!(err("A -> B -> C").column, 8);
    assert_eq!(err("\"order id -> C").column, 1);
    assert!(matches!(
        parse_dependency(&s, "\"order id\",A->B,C").unwrap(),
        Dependency::Fd(_)
    ));
    assert!(matches!(
        parse_dependency(&s, "A→B").unwrap(),
        Dependency::Fd(_)
    ));
    assert!(matches!(
        parse_dependency(&s, "A ->> B").unwrap(),
        Dependency::Mvd(_)
    ));
    assert!(matches!(
        parse_dependency(&s, "A,B->C").unwrap(),
        Dependency::Fd(f) if f.lhs.len() == 2 && f.rhs.len() == 1
    ));
}

/// Many attributes: no 64/128 cap.
#[test]
fn two_hundred_attributes() {
    let n = 200;
    let fds: Vec<Fd> = (0..n - 1)
        .map(|i| Fd::new(AttrSet::single(n, i), AttrSet::single(n, i + 1)))
        .collect();
    let f = FdSet::new(n, fds);
    assert!(f.closure(&AttrSet::single(n, 0)).is_full());
    let k = keys::candidate_keys(&f, 100);
    assert_eq!(k.keys, vec![AttrSet::single(n, 0)]);
    assert_eq!(f.minimal_cover().len(), n - 1);
}

// ---------------------------------------------------------------------------------------
// Brute-force reference (bitmasks, n ≤ 10) and property tests.

#[derive(Clone, Debug)]
struct Bf {
    n: usize,
    fds: Vec<(u32, u32)>,
}

impl Bf {
    fn full(&self) -> u32 {
        (1u32 << self.n) - 1
    }
    fn closure(&self, x: u32) -> u32 {
        let mut c = x;
        loop {
            let before = c;
            for &(l, r) in &self.fds {
                if l & c == l {
                    c |= r;
                }
            }
            if c == before {
                return c;
            }
        }
    }
    fn superkey_of(&self, x: u32, r: u32) -> bool {
        self.closure(x) & r == r
    }
    /// Candidate keys of the projection onto `r`.
    fn keys_of(&self, r: u32) -> Vec<u32> {
        (0..=r)
            .filter(|&x| x & r == x && self.superkey_of(x, r))
            .filter(|&x| {
                (0..self.n).all(|b| x >> b & 1 == 0 || !self.superkey_of(x & !(1 << b), r))
            })
            .collect()
    }
    fn subsets(r: u32) -> impl Iterator<Item = u32> {
        (0..=r).filter(move |x| x & r == *x)
    }
    /// Normal form of the projection onto `r`, by the definitions over all X ⊆ r.
    fn nf_of(&self, r: u32) -> NormalForm {
        let keys = self.keys_of(r);
        let prime = keys.iter().fold(0, |a, k| a | k);
        let mut not2 = false;
        let mut not3 = false;
        let mut notb = false;
        for x in Self::subsets(r) {
            let dep = self.closure(x) & r & !x;
            if dep == 0 || self.superkey_of(x, r) {
                continue;
            }
            notb = true;
            let np = dep & !prime;
            if np != 0 {
                not3 = true;
                if keys.iter().any(|&k| x & k == x && x != k) {
                    not2 = true;
                }
            }
        }
        if not2 {
            NormalForm::First
        } else if not3 {
            NormalForm::Second
        } else if notb {
            NormalForm::Third
        } else {
            NormalForm::Bcnf
        }
    }
    /// Naive chase, written independently of the engine's.
    fn lossless(&self, comps: &[u32]) -> bool {
        let n = self.n;
        let mut t: Vec<Vec<usize>> = comps
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                (0..n)
                    .map(|a| if c >> a & 1 == 1 { 0 } else { 1 + i * n + a })
                    .collect()
            })
            .collect();
        loop {
            let mut changed = false;
            for &(l, r) in &self.fds {
                for i in 0..t.len() {
                    for j in 0..t.len() {
                        if i == j || !(0..n).all(|a| l >> a & 1 == 0 || t[i][a] == t[j][a]) {
                            continue;
                        }
                        for a in (0..n).filter(|a| r >> a & 1 == 1) {
                            let (x, y) = (t[i][a], t[j][a]);
                            if x != y {
                                let (keep, drop) = (x.min(y), x.max(y));
                                for row in t.iter_mut() {
                                    if row[a] == drop {
                                        row[a] = keep;
                                    }
                                }
                                changed = true;
                            }
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        t.iter().any(|row| row.iter().all(|&s| s == 0))
    }
    /// Every FD of F follows from the union of the projections onto the components.
    fn preserves(&self, comps: &[u32]) -> bool {
        let mut g = Vec::new();
        for &c in comps {
            for x in Self::subsets(c) {
                g.push((x, self.closure(x) & c));
            }
        }
        let gb = Bf { n: self.n, fds: g };
        self.fds.iter().all(|&(l, r)| gb.closure(l) & r == r)
    }
}

fn mask(s: &AttrSet) -> u32 {
    s.iter().fold(0, |m, i| m | 1 << i)
}

fn from_mask(n: usize, m: u32) -> AttrSet {
    AttrSet::from_indices(n, (0..n).filter(|i| m >> i & 1 == 1))
}

fn engine(bf: &Bf) -> Analysis {
    let names: Vec<String> = (0..bf.n).map(|i| format!("a{i}")).collect();
    let fds = bf
        .fds
        .iter()
        .map(|&(l, r)| Fd::new(from_mask(bf.n, l), from_mask(bf.n, r)))
        .collect();
    analyze(
        Schema::new(names).unwrap(),
        fds,
        vec![],
        &Options::default(),
    )
}

/// Random FD sets: `n` attributes, up to `max_fds` FDs with 1–3 attributes on the left and
/// 1–2 on the right.
fn fd_sets(max_n: usize, max_fds: usize) -> impl Strategy<Value = Bf> {
    (2..=max_n).prop_flat_map(move |n| {
        let side = move |k: usize| {
            proptest::collection::btree_set(0..n, 1..=k)
                .prop_map(|s| s.into_iter().fold(0u32, |m, i| m | 1 << i))
        };
        proptest::collection::vec((side(3), side(2)), 0..=max_fds)
            .prop_map(move |fds| Bf { n, fds })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn keys_match_brute_force(bf in fd_sets(10, 9)) {
        let a = engine(&bf);
        let got: BTreeSet<u32> = a.keys.keys.iter().map(mask).collect();
        let want: BTreeSet<u32> = bf.keys_of(bf.full()).into_iter().collect();
        prop_assert_eq!(got, want);
        prop_assert!(!a.keys.truncated);
        // Closure agrees on every subset.
        for x in 0..=bf.full() {
            prop_assert_eq!(mask(&a.fds.closure(&from_mask(bf.n, x))), bf.closure(x));
        }
    }

    #[test]
    fn normal_form_matches_brute_force(bf in fd_sets(10, 9)) {
        let a = engine(&bf);
        prop_assert_eq!(a.nf.normal_form, bf.nf_of(bf.full()));
        // Each level below the verdict is witnessed by a violation of that level.
        if a.nf.normal_form < NormalForm::Bcnf {
            let lvl = match a.nf.normal_form {
                NormalForm::First => NormalForm::Second,
                NormalForm::Second => NormalForm::Third,
                _ => NormalForm::Bcnf,
            };
            prop_assert!(a.nf.violations.iter().any(|v| v.violates == lvl));
        }
        // Every reported violation is a real one: lhs → rhs holds, lhs is not a superkey.
        for v in &a.nf.violations {
            prop_assert!(a.fds.implies(&Fd::new(v.lhs.clone(), v.rhs.clone())));
            prop_assert!(!a.fds.is_superkey(&v.lhs));
        }
    }

    #[test]
    fn minimal_cover_is_equivalent_and_minimal(bf in fd_sets(10, 9)) {
        let a = engine(&bf);
        let g = Bf { n: bf.n, fds: a.cover.iter().map(|f| (mask(&f.lhs), mask(&f.rhs))).collect() };
        for x in 0..=bf.full() {
            prop_assert_eq!(g.closure(x), bf.closure(x));
        }
        for (k, &(l, r)) in g.fds.iter().enumerate() {
            prop_assert_eq!(r.count_ones(), 1);
            prop_assert_eq!(l & r, 0);
            // No extraneous left-side attribute.
            for b in 0..bf.n {
                if l >> b & 1 == 1 {
                    prop_assert!(g.closure(l & !(1 << b)) & r == 0);
                }
            }
            // Not redundant.
            let others = Bf { n: bf.n, fds: g.fds.iter().enumerate().filter(|(j, _)| *j != k).map(|(_, f)| *f).collect() };
            prop_assert!(others.closure(l) & r == 0);
        }
        // Deterministic.
        prop_assert_eq!(&engine(&bf).cover, &a.cover);
    }

    #[test]
    fn synthesis_is_lossless_preserving_and_3nf(bf in fd_sets(8, 8)) {
        let a = engine(&bf);
        let comps: Vec<u32> = a.synthesis.components.iter().map(mask).collect();
        prop_assert_eq!(comps.iter().fold(0, |m, c| m | c), bf.full());
        prop_assert!(bf.lossless(&comps));
        prop_assert!(a.synthesis.lossless);
        prop_assert!(bf.preserves(&comps));
        prop_assert!(a.synthesis.lost.is_empty());
        for &c in &comps {
            prop_assert!(bf.nf_of(c) >= NormalForm::Third, "{:b} not in 3NF", c);
        }
    }

    #[test]
    fn bcnf_decomposition_is_lossless_and_bcnf(bf in fd_sets(8, 8)) {
        let a = engine(&bf);
        let comps: Vec<u32> = a.bcnf.components.iter().map(mask).collect();
        prop_assert_eq!(comps.iter().fold(0, |m, c| m | c), bf.full());
        prop_assert!(bf.lossless(&comps));
        prop_assert!(a.bcnf.lossless);
        prop_assert!(a.bcnf.exhaustive);
        for &c in &comps {
            prop_assert_eq!(bf.nf_of(c), NormalForm::Bcnf, "{:b}", c);
        }
        // Reported lost dependencies are exactly the cover FDs not preserved.
        for f in &a.cover {
            let g = Bf {
                n: bf.n,
                fds: bf.fds.clone(),
            };
            let preserved = {
                let mut proj = Vec::new();
                for &c in &comps {
                    for x in Bf::subsets(c) {
                        proj.push((x, g.closure(x) & c));
                    }
                }
                let p = Bf { n: bf.n, fds: proj };
                p.closure(mask(&f.lhs)) & mask(&f.rhs) != 0
            };
            prop_assert_eq!(!preserved, a.bcnf.lost.contains(f));
        }
    }

    #[test]
    fn lossless_matches_brute_force(bf in fd_sets(7, 7), parts in proptest::collection::vec(1u32..128, 1..4)) {
        let full = bf.full();
        let mut comps: Vec<u32> = parts.iter().map(|p| p & full).filter(|p| *p != 0).collect();
        // Cover every attribute.
        let covered = comps.iter().fold(0, |m, c| m | c);
        if covered != full {
            comps.push(full & !covered);
        }
        let a = engine(&bf);
        let sets: Vec<AttrSet> = comps.iter().map(|&c| from_mask(bf.n, c)).collect();
        prop_assert_eq!(decompose::lossless_join(&a.fds, &sets), bf.lossless(&comps));
        let lost = decompose::lost_dependencies(&a.fds, &a.cover, &sets);
        let cover_bf = Bf { n: bf.n, fds: a.cover.iter().map(|f| (mask(&f.lhs), mask(&f.rhs))).collect() };
        prop_assert_eq!(lost.is_empty(), Bf { n: bf.n, fds: cover_bf.fds.clone() }.preserves(&comps));
    }
}

/// 4NF with FDs and MVDs mixed: the MVD's left side being a superkey makes it harmless.
#[test]
fn mvd_trivial_and_keyed() {
    let a = rel("A,B,C", &["A->>B,C"]);
    // A ∪ BC is everything: trivial.
    assert_eq!(a.nf.fourth_nf, Some(true));
    let b = rel("A,B,C", &["A->>B"]);
    assert_eq!(b.nf.fourth_nf, Some(false));
    let none = rel("A,B,C", &["A->B"]);
    assert_eq!(none.nf.fourth_nf, None);
    let _ = Mvd::new(AttrSet::empty(3), AttrSet::empty(3));
}

// ---------------------------------------------------------------------------------------
// The CLI.

fn json_list(v: &serde_json::Value) -> BTreeSet<Names> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| {
            l.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

/// `crowfoot fd --json` on R(A, B, C, D), A → B, BC → D. By hand: A and C are on no right
/// side and AC⁺ = ABCD, so AC is the only key; A → B is partial (1NF); BC → D is
/// transitive. Synthesis AB, BCD, AC (key added); BCNF: A⁺ = AB splits off AB, leaving ACD
/// (key AC) and losing BC → D.
#[test]
fn cli_fd_json() {
    let out = crowfoot(&[
        "fd", "--attrs", "A,B,C,D", "--fd", "A->B", "--fd", "B,C->D", "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json_list(&v["candidate_keys"]), sets(&["A,C"]));
    assert_eq!(v["normal_form"], "1NF");
    assert_eq!(
        v["minimal_cover"],
        serde_json::json!([{"lhs": ["A"], "rhs": ["B"]}, {"lhs": ["B", "C"], "rhs": ["D"]}])
    );
    assert_eq!(
        json_list(&v["synthesis_3nf"]),
        sets(&["A,B", "B,C,D", "A,C"])
    );
    assert_eq!(json_list(&v["bcnf_decomposition"]), sets(&["A,B", "A,C,D"]));
    let viol = v["violations"].as_array().unwrap();
    assert_eq!(viol.len(), 2);
    assert_eq!(viol[0]["fd"], "A -> B");
    assert_eq!(viol[0]["violates"], "2NF");
    assert_eq!(viol[1]["fd"], "B, C -> D");
    assert_eq!(viol[1]["violates"], "3NF");
    for x in viol {
        assert!(x["why"].as_str().unwrap().contains("is violated"));
    }
    assert_eq!(v["keys_truncated"], false);
    assert_eq!(v["bcnf_lossless"], true);
    assert_eq!(
        v["bcnf_lost_dependencies"],
        serde_json::json!(["B, C -> D"])
    );
    assert!(v.get("fourth_nf").is_none());

    // Text report.
    let out = crowfoot(&["fd", "--attrs", "A,B,C,D", "--fd", "A->B", "--fd", "B,C->D"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("normal form: 1NF"), "{text}");
    assert!(text.contains("{A, C}"), "{text}");
}

/// Bad input: exit 2 and a located message.
#[test]
fn cli_fd_bad_input() {
    let out = crowfoot(&["fd", "--attrs", "A,B,C", "--fd", "A->B", "--fd", "A,,B->C"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--fd #2"), "{err}");
    assert!(err.contains("column 3"), "{err}");
    let out = crowfoot(&["fd", "--attrs", "A,B", "--fd", "A->Z"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown attribute Z"));
    // MVDs add fourth_nf.
    let out = crowfoot(&["fd", "--attrs", "A,B,C", "--fd", "A->>B", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["normal_form"], "BCNF");
    assert_eq!(v["fourth_nf"], false);
}

/// `crowfoot normalize` on the shop example: customers has keys id (primary key) and
/// public_id (unique); declaring email → full_name makes it 2NF (transitive through email).
#[test]
fn cli_normalize_project() {
    let out = crowfoot(&["normalize", "projects/shop.ron", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tables = v["tables"].as_array().unwrap();
    assert!(tables.len() > 10);
    let customers = tables.iter().find(|t| t["table"] == "customers").unwrap();
    assert_eq!(
        json_list(&customers["candidate_keys"]),
        sets(&["id", "public_id"])
    );
    assert_eq!(customers["normal_form"], "BCNF");
    assert_eq!(customers["fd_sources"][0], "primary key");

    let out = crowfoot(&[
        "normalize",
        "projects/shop.ron",
        "--table",
        "customers",
        "--fd",
        "email -> full_name",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &v["tables"][0];
    assert_eq!(t["normal_form"], "2NF");
    assert_eq!(t["violations"][0]["fd"], "email -> full_name");
    assert_eq!(t["violations"][0]["violates"], "3NF");

    let out = crowfoot(&["normalize", "projects/shop.ron", "--table", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Components wider than the exhaustive-search cap are searched heuristically, and the
/// report says so. R = a0..a19, a0 → a1 and a2 a3 → a4: the whole relation is checked exactly
/// (a0 → a1 splits it); the 19-attribute remainder is wider than 14 attributes, yet the
/// heuristic (cover left sides inside the component) still finds a2 a3 → a4.
#[test]
fn wide_component_is_searched_heuristically() {
    let names: Vec<String> = (0..20).map(|i| format!("a{i}")).collect();
    let a = rel(&names.join(","), &["a0->a1", "a2,a3->a4"]);
    let got = comps(&a, &a.bcnf.components);
    let rest: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !["a1", "a4"].contains(n))
        .collect();
    assert_eq!(
        got,
        sets(&["a0,a1", "a2,a3,a4", &rest.join(",")]),
        "{got:?}"
    );
    assert!(a.bcnf.lossless && a.bcnf.lost.is_empty());
    assert!(!a.bcnf.exhaustive);
    assert!(!a.report().bcnf_exhaustive);
    // With a higher cap the last component is verified exhaustively.
    let schema = Schema::new(names.clone()).unwrap();
    let fds = a.fds.fds().to_vec();
    let opts = Options {
        bcnf_exhaustive_up_to: 18,
        ..Options::default()
    };
    let b = analyze(schema, fds, vec![], &opts);
    assert!(b.bcnf.exhaustive);
    assert_eq!(comps(&b, &b.bcnf.components), got);
}

/// Issue 14, item 8: names with spaces, quotes, backslashes, `#`, `%`, `$`, unicode and emoji
/// are comma-separated and trimmed; `,` and `->` inside a name are written quoted; JSON keeps
/// the names exactly.
#[test]
fn cli_fd_names_are_data() {
    let out = crowfoot(&[
        "fd",
        "--attrs",
        "order id,customer id",
        "--fd",
        "order id -> customer id",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["candidate_keys"], serde_json::json!([["order id"]]));

    let names = [
        "o'clock",
        "the \"best\"",
        "C:\\path",
        "#id",
        "50%",
        "$net",
        "🚚 truck",
        "café name",
        "цена",
        "顧客名",
        "a,b",
        "x->y",
        " padded ",
        "\"quoted\"",
    ];
    let attrs: Vec<String> = names.iter().map(|n| quote_name(n)).collect();
    let attrs = attrs.join(", ");
    let fd = format!(
        "{} -> {}",
        quote_name(names[0]),
        names[1..]
            .iter()
            .map(|n| quote_name(n))
            .collect::<Vec<_>>()
            .join(",")
    );
    let out = crowfoot(&["fd", "--attrs", &attrs, "--fd", &fd, "--json"]);
    assert!(
        out.status.success(),
        "{attrs}\n{fd}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["candidate_keys"], serde_json::json!([[names[0]]]), "{v}");
    let all: Vec<&str> = v["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert_eq!(all, names.to_vec());
    // Space-separated names are one name now: the error says so where it is.
    let out = crowfoot(&["fd", "--attrs", "A,B", "--fd", "\"A\" \"B\" -> B"]);
    assert_eq!(out.status.code(), Some(2));
}

proptest! {
    /// Every name written by `quote_name` parses back as exactly that name, alone and in lists.
    #[test]
    fn quoted_names_parse_back(names in proptest::collection::btree_set("(\\PC|[ ,\"`\\\\>-]){1,12}", 1..5)) {
        let names: Vec<String> = names.into_iter().collect();
        for n in &names {
            prop_assert_eq!(parse_attr_list(&quote_name(n)).unwrap(), vec![n.clone()]);
        }
        let list: Vec<String> = names.iter().map(|n| quote_name(n)).collect();
        prop_assert_eq!(parse_attr_list(&list.join(", ")).unwrap(), names);
    }
}
