package reco.examples; public class RecoClientExample { public static void main(String[] a){} }
